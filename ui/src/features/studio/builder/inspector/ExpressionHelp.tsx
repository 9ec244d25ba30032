/**
 * A short, folded guide to the expression language (`node_types/expressions.py`, docs/expressions.md)
 * and to `{{ … }}` templates, beside the fields that take them.
 */

import { useTranslation } from "react-i18next";

/** The functions an expression may call (`node_types/expression_functions.py`). */
export const EXPRESSION_FUNCTIONS = [
  "len",
  "lower",
  "upper",
  "strip",
  "startswith",
  "endswith",
  "contains",
  "split",
  "join",
  "replace",
  "get",
  "first",
  "last",
  "keys",
  "values",
  "str",
  "int",
  "float",
  "bool",
  "min",
  "max",
  "sum",
  "any",
  "all",
  "round",
  "abs",
  "coalesce",
  "to_json",
] as const;

/** Examples shown as they are (code reads the same in every language); each has a translated meaning. */
const EXAMPLES = [
  ["intent == 'refund'", "equals"],
  ["len(messages) > 6", "length"],
  ["last(messages).content", "lastMessage"],
  ["coalesce(language, 'English')", "coalesce"],
  ["'urgent' if priority >= 8 else 'normal'", "conditional"],
] as const;

export function ExpressionHelp({ expressions, templates }: { expressions: boolean; templates: boolean }) {
  const { t } = useTranslation("nodeConfig");
  return (
    <details className="inspector-help">
      <summary>{t("expressionHelp.title")}</summary>
      <p>{t("expressionHelp.intro")}</p>
      {expressions ? (
        <ul className="inspector-examples">
          {EXAMPLES.map(([code, meaning]) => (
            <li key={code}>
              <code>{code}</code> — {t(`expressionHelp.examples.${meaning}`)}
            </li>
          ))}
        </ul>
      ) : null}
      <p>{t("expressionHelp.operators")}</p>
      <p>
        {t("expressionHelp.functions")} <code className="inspector-functions">{EXPRESSION_FUNCTIONS.join(", ")}</code>
      </p>
      {templates ? (
        <p>
          {t("expressionHelp.templates")} <code>{"Reply in {{ coalesce(language, 'English') }}."}</code>
        </p>
      ) : null}
      <p className="muted">{t("expressionHelp.limits")}</p>
    </details>
  );
}
