/** The one tool a `tool` node calls in direct mode, picked from the registry (typed if the list cannot be read). */

import { ariaDescribedByIds, type WidgetProps } from "@rjsf/utils";
import { useTranslation } from "react-i18next";
import { useRegistryTools } from "../queries";
import { ChoiceSelect } from "./ChoiceSelect";

export function ToolNameWidget({ id, value, onChange, disabled, readonly, rawErrors }: WidgetProps) {
  const { t } = useTranslation("nodeConfig");
  const tools = useRegistryTools();
  const describedBy = ariaDescribedByIds(id);
  const invalid = (rawErrors?.length ?? 0) > 0;
  if (tools.isError) {
    return (
      <input
        id={id}
        type="text"
        value={typeof value === "string" ? value : ""}
        disabled={disabled || readonly}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        onChange={(event) => onChange(event.target.value || null)}
      />
    );
  }
  const chosen = tools.data?.find((tool) => tool.name === value);
  return (
    <>
      <ChoiceSelect
        id={id}
        value={value ?? undefined}
        choices={(tools.data ?? []).map((tool) => ({ value: tool.name, label: tool.name }))}
        onChange={(next) => onChange(next ?? null)}
        disabled={disabled || readonly}
        placeholder={tools.isPending ? t("loading") : t("tools.choose")}
        unknownLabel={(name) => (tools.isSuccess ? t("tools.notInRegistry", { name: String(name) }) : String(name))}
        describedBy={describedBy}
        invalid={invalid}
      />
      {chosen?.description ? <span className="muted field-hint">{chosen.description}</span> : null}
    </>
  );
}
