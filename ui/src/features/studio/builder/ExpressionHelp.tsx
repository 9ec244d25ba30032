/**
 * Help on the expression language (docs/expressions.md) next to a condition or a fan-out's
 * list: what a name reads, the operators, the functions, how an outcome becomes a branch.
 */

import { useTranslation } from "react-i18next";

const FUNCTIONS = [
  "len(x)",
  "lower(s)",
  "upper(s)",
  "strip(s)",
  "startswith(s, p)",
  "endswith(s, p)",
  "contains(a, b)",
  "split(s, sep)",
  "join(list, sep)",
  "replace(s, a, b)",
  "get(x, key, default)",
  "first(list)",
  "last(list)",
  "keys(obj)",
  "values(obj)",
  "str(x)",
  "int(x)",
  "float(x)",
  "bool(x)",
  "min(…)",
  "max(…)",
  "sum(list)",
  "any(list)",
  "all(list)",
  "round(x, n)",
  "abs(x)",
  "coalesce(a, b, …)",
  "to_json(x)",
];

const EXAMPLES = [
  "route",
  "last(messages).role == 'assistant' and not last(messages).tool_calls",
  "human_input.approved == true",
  "triage.category if triage.category in ['billing', 'technical'] else 'general'",
  "len(messages) > 6",
];

interface Props {
  /** What the expression is for: a condition's value picks a branch; a fan-out's is a list. */
  use: "condition" | "list";
}

export function ExpressionHelp({ use }: Props) {
  const { t } = useTranslation("builder");
  return (
    <details className="builder-help">
      <summary>{t("help.summary")}</summary>
      <p>{t("help.intro")}</p>
      <ul>
        <li>{t("help.names")}</li>
        <li>{t("help.access")}</li>
        <li>
          {t("help.operators")} <code>{"== != < <= > >= in not in and or not + - * / // % ** … if … else …"}</code>
        </li>
        <li>{t("help.literals")}</li>
        <li>{t("help.notAllowed")}</li>
      </ul>
      <p>{use === "condition" ? t("help.outcome") : t("help.list")}</p>
      <p>{t("help.functions")}</p>
      <p className="builder-help-functions">
        {FUNCTIONS.map((name) => (
          <code key={name}>{name}</code>
        ))}
      </p>
      <p>{t("help.examples")}</p>
      <ul className="builder-help-examples">
        {(use === "condition" ? EXAMPLES : ["items", "items[:3]", "get(plan, 'steps', [])"]).map((example) => (
          <li key={example}>
            <code>{example}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}
