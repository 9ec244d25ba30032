/**
 * The `tool` node's arguments in direct mode: one expression over state per parameter of the
 * chosen tool (from its input schema in the registry), plus any other argument by name.
 */

import type { FieldProps } from "@rjsf/utils";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useInspectorContext } from "../InspectorContext";
import { useRegistryTools } from "../queries";
import { toolParameters, withArgument } from "../toolArguments";
import { FieldErrors, FieldFrame, errorsUnder, fieldText } from "./FieldFrame";

export function ToolArgumentsField(props: FieldProps) {
  const { t } = useTranslation("nodeConfig");
  const { fieldPathId, formData, onChange, disabled, readonly, errorSchema } = props;
  const { formData: config } = useInspectorContext();
  const tools = useRegistryTools();
  const [newName, setNewName] = useState("");
  const id = fieldPathId.$id;
  const args: Record<string, string> =
    typeof formData === "object" && formData !== null ? (formData as Record<string, string>) : {};
  const tool = tools.data?.find((candidate) => candidate.name === config.tool);
  const parameters = toolParameters(tool);
  const declared = new Set(parameters.map((parameter) => parameter.name));
  const extra = Object.keys(args).filter((name) => !declared.has(name));
  const locked = disabled || readonly;
  const set = (name: string, expression: string) => onChange(withArgument(args, name, expression), fieldPathId.path);
  const argErrors = (name: string) => errorsUnder(errorSchema, name);
  const row = (name: string, index: number, hint: string, required: boolean, removable: boolean) => {
    const inputId = `${id}-${index}`;
    return (
      <div key={name} className="field inspector-argument">
        <label className="field-label" htmlFor={inputId}>
          <code>{name}</code>
          {required ? <span className="required">{t("required")}</span> : null}
        </label>
        {hint ? <span className="muted field-hint">{hint}</span> : null}
        <div className="inspector-inline">
          <input
            id={inputId}
            type="text"
            className="inspector-code"
            value={args[name] ?? ""}
            disabled={locked}
            placeholder={t("arguments.placeholder")}
            onChange={(event) => set(name, event.target.value)}
          />
          {removable ? (
            <button
              type="button"
              className="button button--small button--ghost"
              disabled={locked}
              aria-label={t("arguments.remove", { name })}
              onClick={() => set(name, "")}
            >
              {t("remove")}
            </button>
          ) : null}
        </div>
        <FieldErrors id={`${inputId}-errors`} messages={argErrors(name)} />
      </div>
    );
  };
  const { label, description } = fieldText(props);
  return (
    <FieldFrame id={id} label={label} description={description}>
      {config.tool && tools.isSuccess && !tool ? (
        <p className="muted field-hint">{t("arguments.unknownTool")}</p>
      ) : null}
      {parameters.map((parameter, index) =>
        row(
          parameter.name,
          index,
          [parameter.type, parameter.description].filter(Boolean).join(" · "),
          parameter.required,
          false,
        ),
      )}
      {extra.map((name, index) => row(name, parameters.length + index, "", false, true))}
      <div className="inspector-inline">
        <input
          type="text"
          value={newName}
          disabled={locked}
          aria-label={t("arguments.newName")}
          placeholder={t("arguments.newName")}
          onChange={(event) => setNewName(event.target.value)}
        />
        <button
          type="button"
          className="button button--small"
          disabled={locked || !newName.trim() || newName.trim() in args || declared.has(newName.trim())}
          onClick={() => {
            // A placeholder expression: an empty one would drop the argument again at once.
            onChange({ ...args, [newName.trim()]: "null" }, fieldPathId.path);
            setNewName("");
          }}
        >
          {t("arguments.add")}
        </button>
      </div>
    </FieldFrame>
  );
}
