/**
 * A state key field: one of the graph's state keys (or "none" where the field takes null). A key
 * the state does not declare stays shown, marked, so a person sees what validation will refuse.
 */

import { ariaDescribedByIds, type WidgetProps } from "@rjsf/utils";
import { useTranslation } from "react-i18next";
import { useInspectorContext } from "../InspectorContext";
import { ChoiceSelect, type Choice } from "./ChoiceSelect";

/** Whether a field's schema also takes null. */
export const takesNull = (schema: WidgetProps["schema"]): boolean =>
  Array.isArray(schema.type) ? schema.type.includes("null") : schema.type === "null";

export function StateKeyWidget({ id, value, schema, onChange, disabled, readonly, rawErrors }: WidgetProps) {
  const { t } = useTranslation("nodeConfig");
  const { stateKeys } = useInspectorContext();
  const choices: Choice[] = [
    ...(takesNull(schema) ? [{ value: null, label: t("stateKey.none") }] : []),
    ...stateKeys.map((key) => ({ value: key, label: key })),
  ];
  return (
    <ChoiceSelect
      id={id}
      value={value}
      choices={choices}
      onChange={onChange}
      disabled={disabled || readonly}
      placeholder={t("stateKey.choose")}
      unknownLabel={(key) => t("stateKey.missing", { key: String(key) })}
      describedBy={ariaDescribedByIds(id)}
      invalid={(rawErrors?.length ?? 0) > 0}
    />
  );
}
