/**
 * Several state keys (the `human` node's `state_keys`: what the reviewer sees). Nothing picked
 * means null: the whole state.
 */

import type { WidgetProps } from "@rjsf/utils";
import { useTranslation } from "react-i18next";
import { useInspectorContext } from "../InspectorContext";
import { PickList } from "./PickList";

export function StateKeysWidget({ id, value, onChange, disabled, readonly, label }: WidgetProps) {
  const { t } = useTranslation("nodeConfig");
  const { stateKeys } = useInspectorContext();
  const picked = Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  return (
    <PickList
      id={id}
      label={label}
      options={stateKeys.map((key) => ({ value: key, label: key }))}
      picked={picked}
      disabled={disabled || readonly}
      onChange={(next) => onChange(next.length > 0 ? next : null)}
      unknownLabel={(key) => t("stateKey.missing", { key })}
      empty={t("stateKey.noKeys")}
    />
  );
}
