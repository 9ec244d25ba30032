/**
 * The `llm` node's model: the tenant's default, or the model of one of the tenant's chat-model
 * configs (shown by name and model). An offline scripted model (`scripted/…`) is named as such.
 * Listing configs is an admin's right: anyone else, or when the list cannot be read, types the
 * model name instead.
 */

import { ariaDescribedByIds, type WidgetProps } from "@rjsf/utils";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useModelConfigs, type ServiceConfig } from "../queries";
import { ChoiceSelect, type Choice } from "./ChoiceSelect";

/** Models named `scripted/<script>` answer from a script, with no provider (the platform's offline default). */
export const SCRIPTED_PREFIX = "scripted/";

/** A sentinel choice: "another model", typed by hand. */
const OTHER = { other: true } as const;

function modelChoices(configs: readonly ServiceConfig[], t: TFunction): Choice[] {
  const seen = new Set<string>();
  const choices: Choice[] = [{ value: null, label: t("model.tenantDefault") }];
  for (const config of configs) {
    if (seen.has(config.model)) continue; // two configs of one model pick the same thing
    seen.add(config.model);
    const label = t("model.config", { name: config.service_display_name, model: config.model });
    choices.push({ value: config.model, label: config.is_default ? t("model.isDefault", { label }) : label });
  }
  return choices;
}

export function ModelWidget({ id, value, onChange, disabled, readonly, rawErrors }: WidgetProps) {
  const { t } = useTranslation("nodeConfig");
  const configs = useModelConfigs();
  const [typing, setTyping] = useState(false);
  const model = typeof value === "string" ? value : null;
  const describedBy = ariaDescribedByIds(id);
  const invalid = (rawErrors?.length ?? 0) > 0;
  const locked = disabled || readonly;

  if (configs.isError || typing) {
    return (
      <div className="inspector-model">
        <input
          id={id}
          type="text"
          value={model ?? ""}
          disabled={locked}
          placeholder={t("model.typePlaceholder")}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          onChange={(event) => onChange(event.target.value.trim() ? event.target.value : null)}
        />
        <span className="muted field-hint">
          {configs.isError ? t("model.cannotList") : t("model.typed")}
          {model?.startsWith(SCRIPTED_PREFIX) ? ` ${t("model.scriptedNote")}` : ""}
        </span>
        {typing ? (
          <button type="button" className="link-button" disabled={locked} onClick={() => setTyping(false)}>
            {t("model.backToList")}
          </button>
        ) : null}
      </div>
    );
  }

  const choices = [...modelChoices(configs.data ?? [], t), { value: OTHER, label: t("model.other") }];
  return (
    <ChoiceSelect
      id={id}
      value={model}
      choices={choices}
      disabled={locked}
      describedBy={describedBy}
      invalid={invalid}
      unknownLabel={(name) =>
        String(name).startsWith(SCRIPTED_PREFIX)
          ? t("model.scripted", { model: String(name) })
          : configs.isSuccess
            ? t("model.unlisted", { model: String(name) })
            : String(name)
      }
      onChange={(next) => {
        if (next === OTHER) setTyping(true);
        else onChange(next ?? null);
      }}
    />
  );
}
