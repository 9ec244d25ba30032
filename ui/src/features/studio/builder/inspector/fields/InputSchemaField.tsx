/**
 * What a reviewer must answer at a `human` node: a JSON Schema, edited as a list of fields (name,
 * type, required, title) or, for anything richer, as raw JSON.
 */

import { ariaDescribedByIds, type FieldProps } from "@rjsf/utils";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { JsonText, mustBeObject } from "../JsonText";
import { INPUT_FIELD_TYPES, addField, changeField, inputFields, removeField, type InputField } from "../inputSchema";
import { FieldErrors, FieldFrame, fieldText, nestedErrors } from "./FieldFrame";

type Json = Record<string, unknown>;

export function InputSchemaField(props: FieldProps) {
  const { t } = useTranslation("nodeConfig");
  const { fieldPathId, formData, onChange, disabled, readonly, errorSchema } = props;
  const id = fieldPathId.$id;
  const schema: Json = typeof formData === "object" && formData !== null ? (formData as Json) : { type: "object" };
  const fields = inputFields(schema);
  const [raw, setRaw] = useState(fields === null);
  const locked = Boolean(disabled || readonly);
  const set = (next: Json | undefined) => onChange(next, fieldPathId.path);
  const { label, description } = fieldText(props);
  return (
    <FieldFrame id={id} label={label} description={description}>
      <div className="inspector-toolbar">
        <button
          type="button"
          className="button button--small button--ghost"
          aria-pressed={raw}
          // Back to fields only when the JSON still reads as fields.
          disabled={raw && fields === null}
          onClick={() => setRaw(!raw)}
        >
          {raw ? t("inputSchema.asFields") : t("inputSchema.asJson")}
        </button>
        {raw && fields === null ? <span className="muted field-hint">{t("inputSchema.tooRich")}</span> : null}
      </div>
      {raw ? (
        <JsonText
          id={`${id}-json`}
          ariaLabel={t("inputSchema.jsonLabel")}
          value={formData}
          rows={8}
          disabled={locked}
          describedBy={ariaDescribedByIds(id)}
          check={mustBeObject(t("json.object"))}
          onChange={(value) => set(value as Json | undefined)}
        />
      ) : (
        <InputFieldList id={id} fields={fields ?? []} schema={schema} locked={locked} onChange={set} />
      )}
      <FieldErrors id={`${id}-nested-errors`} messages={nestedErrors(errorSchema)} />
    </FieldFrame>
  );
}

interface ListProps {
  id: string;
  fields: InputField[];
  schema: Json;
  locked: boolean;
  onChange: (schema: Json) => void;
}

function InputFieldList({ id, fields, schema, locked, onChange }: ListProps) {
  const { t } = useTranslation("nodeConfig");
  return (
    <div className="inspector-rows">
      {fields.length === 0 ? <p className="muted field-hint">{t("inputSchema.noFields")}</p> : null}
      {fields.map((field, index) => (
        <InputFieldRow
          key={`${index}-${field.name}`}
          id={`${id}-${index}`}
          field={field}
          others={fields.filter((other) => other.name !== field.name).map((other) => other.name)}
          locked={locked}
          onChange={(patch) => onChange(changeField(schema, field.name, patch))}
          onRemove={() => onChange(removeField(schema, field.name))}
        />
      ))}
      <button
        type="button"
        className="button button--small"
        disabled={locked}
        onClick={() => onChange(addField(schema, "field"))}
      >
        {t("inputSchema.add")}
      </button>
    </div>
  );
}

interface RowProps {
  id: string;
  field: InputField;
  others: string[];
  locked: boolean;
  onChange: (patch: Partial<InputField>) => void;
  onRemove: () => void;
}

/** One field: its name is committed when the person leaves the box, if it is free. */
function InputFieldRow({ id, field, others, locked, onChange, onRemove }: RowProps) {
  const { t } = useTranslation("nodeConfig");
  const [name, setName] = useState(field.name);
  const problem = !name.trim()
    ? t("inputSchema.nameEmpty")
    : others.includes(name.trim())
      ? t("inputSchema.nameTaken")
      : null;
  const commit = () => {
    if (!problem && name.trim() !== field.name) onChange({ name: name.trim() });
  };
  return (
    <fieldset className="inspector-row">
      <legend className="visually-hidden">{t("inputSchema.fieldLegend", { name: field.name })}</legend>
      <label className="field" htmlFor={`${id}-name`}>
        <span className="field-label">{t("inputSchema.name")}</span>
        <input
          id={`${id}-name`}
          type="text"
          value={name}
          disabled={locked}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-name-error` : undefined}
          onChange={(event) => setName(event.target.value)}
          onBlur={commit}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              commit();
            }
          }}
        />
        {problem ? (
          <span id={`${id}-name-error`} className="field-error">
            {problem}
          </span>
        ) : null}
      </label>
      <label className="field" htmlFor={`${id}-type`}>
        <span className="field-label">{t("inputSchema.type")}</span>
        <select
          id={`${id}-type`}
          value={field.type}
          disabled={locked}
          onChange={(event) => onChange({ type: event.target.value as InputField["type"] })}
        >
          {INPUT_FIELD_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`inputSchema.types.${type}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field inspector-row-wide" htmlFor={`${id}-title`}>
        <span className="field-label">{t("inputSchema.title")}</span>
        <input
          id={`${id}-title`}
          type="text"
          value={field.title}
          disabled={locked}
          onChange={(event) => onChange({ title: event.target.value })}
        />
      </label>
      <div className="inspector-row-end">
        <label className="checkbox" htmlFor={`${id}-required`}>
          <input
            id={`${id}-required`}
            type="checkbox"
            checked={field.required}
            disabled={locked}
            onChange={(event) => onChange({ required: event.target.checked })}
          />
          {t("inputSchema.required")}
        </label>
        <button type="button" className="button button--small button--ghost" disabled={locked} onClick={onRemove}>
          {t("remove")}
        </button>
      </div>
    </fieldset>
  );
}
