/**
 * One key of the state schema: its name (taken when the person leaves the box, if valid and
 * free), type (a simple type or a JSON Schema), reducer with what it does, default (JSON) and
 * description, and a way to remove it. Problems about the key show under the part they name.
 */

import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { BuilderProblem, StateKey } from "../definition";
import { JsonText, mustBeObject } from "./JsonText";
import { stateKeyProblem } from "./names";
import { REDUCERS, SIMPLE_TYPES, typeChoice } from "./stateSchema";
import { FieldErrors } from "./fields/FieldFrame";

interface Props {
  id: string;
  name: string;
  spec: StateKey;
  otherKeys: readonly string[];
  /** Problems relative to this key (`""`, `/type`, `/reducer`…). */
  problems: readonly BuilderProblem[];
  readOnly: boolean;
  onRename: (to: string) => void;
  onChange: (patch: Partial<StateKey>) => void;
  onRemove: () => void;
}

const messagesAt = (problems: readonly BuilderProblem[], part: string) =>
  problems.filter((problem) => problem.path === part || problem.path.startsWith(`${part}/`)).map((p) => p.message);

export function StateKeyRow({ id, name, spec, otherKeys, problems, readOnly, onRename, onChange, onRemove }: Props) {
  const { t } = useTranslation("nodeConfig");
  const [draft, setDraft] = useState(name);
  const [shownName, setShownName] = useState(name);
  if (shownName !== name) {
    setShownName(name);
    setDraft(name);
  }
  const nameProblem = stateKeyProblem(draft, otherKeys);
  const commit = () => {
    if (nameProblem || draft === name) return;
    setShownName(draft);
    onRename(draft);
  };
  const choice = typeChoice(spec);
  const reducer = spec.reducer ?? "replace";
  const own = problems.filter((problem) => !/^\/(type|reducer|default|description)(\/|$)/.test(problem.path));
  return (
    <fieldset className="state-key" aria-invalid={problems.length > 0 || undefined}>
      <legend className="visually-hidden">{t("state.keyLegend", { name })}</legend>
      <div className="state-key-line">
        <div className="field">
          <label className="field-label" htmlFor={`${id}-name`}>
            {t("state.name")}
          </label>
          <input
            id={`${id}-name`}
            type="text"
            className="inspector-code"
            value={draft}
            disabled={readOnly}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={nameProblem ? true : undefined}
            aria-describedby={nameProblem ? `${id}-name-error` : undefined}
            onChange={(event) => setDraft(event.target.value)}
            onBlur={commit}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                commit();
              }
            }}
          />
          <FieldErrors
            id={`${id}-name-error`}
            messages={nameProblem ? [t(`names.${nameProblem}`, { name: draft })] : []}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-type`}>
            {t("state.type")}
          </label>
          <select
            id={`${id}-type`}
            value={choice}
            disabled={readOnly}
            onChange={(event) =>
              onChange({ type: event.target.value === "schema" ? { type: "object" } : event.target.value })
            }
          >
            {SIMPLE_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`state.types.${type}`)}
              </option>
            ))}
            <option value="schema">{t("state.types.schema")}</option>
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-reducer`}>
            {t("state.reducer")}
          </label>
          <select
            id={`${id}-reducer`}
            value={reducer}
            disabled={readOnly}
            aria-describedby={`${id}-reducer-help`}
            onChange={(event) => onChange({ reducer: event.target.value as StateKey["reducer"] })}
          >
            {REDUCERS.map((option) => (
              <option key={option} value={option}>
                {t(`state.reducers.${option}.label`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <span id={`${id}-reducer-help`} className="muted field-hint">
        {t(`state.reducers.${reducer}.help`)}
      </span>
      <FieldErrors id={`${id}-reducer-errors`} messages={messagesAt(problems, "/reducer")} />
      {choice === "schema" ? (
        <div className="field">
          <label className="field-label" htmlFor={`${id}-schema`}>
            {t("state.schema")}
          </label>
          <JsonText
            id={`${id}-schema`}
            value={spec.type}
            rows={4}
            disabled={readOnly}
            check={mustBeObject(t("json.object"))}
            // An emptied schema is no schema: the key takes any value.
            onChange={(value) => onChange({ type: (value as Record<string, unknown> | undefined) ?? "any" })}
          />
        </div>
      ) : null}
      <FieldErrors id={`${id}-type-errors`} messages={messagesAt(problems, "/type")} />
      <div className="state-key-line">
        <div className="field">
          <label className="field-label" htmlFor={`${id}-default`}>
            {t("state.default")}
          </label>
          <JsonText
            id={`${id}-default`}
            value={spec.default}
            rows={1}
            disabled={readOnly}
            placeholder={t("state.defaultPlaceholder")}
            onChange={(value) => onChange({ default: value })}
          />
          <FieldErrors id={`${id}-default-errors`} messages={messagesAt(problems, "/default")} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-description`}>
            {t("state.description")}
          </label>
          <input
            id={`${id}-description`}
            type="text"
            value={spec.description ?? ""}
            disabled={readOnly}
            onChange={(event) => onChange({ description: event.target.value || undefined })}
          />
          <FieldErrors id={`${id}-description-errors`} messages={messagesAt(problems, "/description")} />
        </div>
      </div>
      <FieldErrors id={`${id}-errors`} messages={own.map((problem) => problem.message)} />
      {readOnly ? null : (
        <button
          type="button"
          className="button button--small button--ghost state-key-remove"
          aria-label={t("state.remove", { name })}
          onClick={onRemove}
        >
          {t("remove")}
        </button>
      )}
    </fieldset>
  );
}
