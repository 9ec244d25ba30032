/**
 * A `human` node's deadline: none, or after how long and what then — escalate (reassign, raise
 * the priority and keep waiting), continue on the default branch with a default answer, or fail
 * the run.
 */

import { NumberField } from "./NumberField";
import type { FieldProps } from "@rjsf/utils";
import { useTranslation } from "react-i18next";
import { JsonText, mustBeObject } from "../JsonText";
import { FieldErrors, FieldFrame, errorsUnder, fieldText } from "./FieldFrame";

const POLICIES = ["escalate", "default_branch", "fail"] as const;
type Policy = (typeof POLICIES)[number];

interface Deadline {
  after_seconds?: number;
  policy?: Policy;
  default_input?: Record<string, unknown> | null;
  escalate_to?: string | null;
  escalate_priority?: number | null;
}

/** A new deadline: an hour, then escalate. */
const FIRST_DEADLINE: Deadline = { after_seconds: 3600, policy: "escalate" };

export function DeadlineField(props: FieldProps) {
  const { t } = useTranslation("nodeConfig");
  const { fieldPathId, formData, onChange, disabled, readonly, errorSchema } = props;
  const id = fieldPathId.$id;
  const deadline: Deadline | null = typeof formData === "object" && formData !== null ? (formData as Deadline) : null;
  const locked = disabled || readonly;
  const set = (next: Deadline | null) => onChange(next, fieldPathId.path);
  const patch = (change: Partial<Deadline>) => {
    const next: Record<string, unknown> = { ...deadline, ...change };
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    set(next as Deadline);
  };
  const errors = (key: keyof Deadline) => errorsUnder(errorSchema, key);
  const { label, description } = fieldText(props);
  return (
    <FieldFrame id={id} label={label} description={description}>
      <label className="checkbox" htmlFor={`${id}-on`}>
        <input
          id={`${id}-on`}
          type="checkbox"
          checked={deadline !== null}
          disabled={locked}
          onChange={(event) => set(event.target.checked ? FIRST_DEADLINE : null)}
        />
        {t("deadline.on")}
      </label>
      {deadline ? (
        <div className="inspector-rows">
          <NumberField
            id={`${id}-after`}
            label={t("deadline.after")}
            value={deadline.after_seconds}
            min={1}
            disabled={locked}
            onChange={(value) => patch({ after_seconds: value })}
          >
            <FieldErrors id={`${id}-after-errors`} messages={errors("after_seconds")} />
          </NumberField>
          <fieldset className="schema-form-choice">
            <legend className="field-label">{t("deadline.policy")}</legend>
            {POLICIES.map((policy) => (
              <label key={policy} className="inspector-radio" htmlFor={`${id}-policy-${policy}`}>
                <input
                  id={`${id}-policy-${policy}`}
                  type="radio"
                  name={`${id}-policy`}
                  checked={deadline.policy === policy}
                  disabled={locked}
                  onChange={() => patch({ policy })}
                />
                <span>
                  <strong>{t(`deadline.policies.${policy}.label`)}</strong>
                  <span className="muted"> — {t(`deadline.policies.${policy}.help`)}</span>
                </span>
              </label>
            ))}
            <FieldErrors id={`${id}-policy-errors`} messages={errors("policy")} />
          </fieldset>
          {deadline.policy === "escalate" ? (
            <>
              <div className="field">
                <label className="field-label" htmlFor={`${id}-to`}>
                  {t("deadline.escalateTo")}
                </label>
                <input
                  id={`${id}-to`}
                  type="text"
                  value={deadline.escalate_to ?? ""}
                  disabled={locked}
                  placeholder={t("deadline.escalateToPlaceholder")}
                  onChange={(event) => patch({ escalate_to: event.target.value || undefined })}
                />
                <FieldErrors id={`${id}-to-errors`} messages={errors("escalate_to")} />
              </div>
              <NumberField
                id={`${id}-priority`}
                label={t("deadline.escalatePriority")}
                value={deadline.escalate_priority}
                min={1}
                max={10}
                step={1}
                disabled={locked}
                onChange={(value) => patch({ escalate_priority: value })}
              >
                <FieldErrors id={`${id}-priority-errors`} messages={errors("escalate_priority")} />
              </NumberField>
            </>
          ) : null}
          {deadline.policy === "default_branch" ? (
            <div className="field">
              <label className="field-label" htmlFor={`${id}-default`}>
                {t("deadline.defaultInput")}
              </label>
              <span className="muted field-hint">{t("deadline.defaultInputHelp")}</span>
              <JsonText
                id={`${id}-default`}
                value={deadline.default_input ?? undefined}
                disabled={locked}
                check={mustBeObject(t("json.object"))}
                onChange={(value) =>
                  patch({ default_input: (value as Record<string, unknown> | undefined) ?? undefined })
                }
              />
              <FieldErrors id={`${id}-default-errors`} messages={errors("default_input")} />
            </div>
          ) : null}
        </div>
      ) : null}
    </FieldFrame>
  );
}
