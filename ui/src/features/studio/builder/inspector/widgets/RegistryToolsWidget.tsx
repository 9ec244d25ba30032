/**
 * Tools picked from the tenant's tool registry (names resolved on the agent's MCP servers at run
 * time): the tools an `llm` node may call, or those a `tool` node allows. Function specs written
 * into the definition by hand are kept as they are and listed, each with a way to drop it. With
 * `ui:options.emptyIsNull`, picking none gives null (the field's "no limit").
 */

import type { WidgetProps } from "@rjsf/utils";
import { useTranslation } from "react-i18next";
import { useRegistryTools } from "../queries";
import { PickList } from "./PickList";

type ToolEntry = string | { name?: unknown };

export function RegistryToolsWidget({ id, value, onChange, disabled, readonly, label, options }: WidgetProps) {
  const { t } = useTranslation("nodeConfig");
  const tools = useRegistryTools();
  const entries: ToolEntry[] = Array.isArray(value) ? (value as ToolEntry[]) : [];
  const names = entries.filter((entry): entry is string => typeof entry === "string");
  const specs = entries.filter((entry) => typeof entry !== "string");
  const locked = disabled || readonly;
  return (
    <div className="inspector-tools">
      <PickList
        id={id}
        label={label}
        options={(tools.data ?? []).map((tool) => ({ value: tool.name, label: tool.name, hint: tool.description }))}
        picked={names}
        disabled={locked}
        onChange={(picked) => {
          const next = [...picked, ...specs];
          onChange(next.length === 0 && options.emptyIsNull ? null : next);
        }}
        unknownLabel={(name) => (tools.isSuccess ? t("tools.notInRegistry", { name }) : name)}
        empty={tools.isPending ? t("loading") : tools.isError ? t("tools.cannotList") : t("tools.none")}
      />
      {specs.length > 0 ? (
        <ul className="inspector-specs">
          {specs.map((spec, index) => (
            <li key={index}>
              <span>{t("tools.spec", { name: String((spec as { name?: unknown }).name ?? "?") })}</span>
              <button
                type="button"
                className="button button--small button--ghost"
                disabled={locked}
                onClick={() => onChange([...names, ...specs.filter((other) => other !== spec)])}
              >
                {t("remove")}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
