/** The fields of a simple input schema: yes/no radios, text, numbers and choices, each with its error. */

import { useId } from "react";
import type { FieldValue, FormField, FormSpec, FormValues } from "./schemaForm";

interface Props {
  spec: FormSpec;
  values: FormValues;
  errors: Record<string, string>;
  onChange: (name: string, value: FieldValue) => void;
}

export function SchemaFields({ spec, values, errors, onChange }: Props) {
  if (spec.fields.length === 0) return <p className="muted">This task needs no input: send to continue the run.</p>;
  return (
    <div className="schema-fields">
      {spec.fields.map((field) => (
        <Field
          key={field.name}
          field={field}
          value={values[field.name] ?? null}
          error={errors[field.name] ?? null}
          onChange={(value) => onChange(field.name, value)}
        />
      ))}
    </div>
  );
}

interface FieldProps {
  field: FormField;
  value: FieldValue;
  error: string | null;
  onChange: (value: FieldValue) => void;
}

function Field({ field, value, error, onChange }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy =
    [field.description ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  const label = (
    <>
      {field.label}
      {field.required ? <span className="required"> (required)</span> : null}
    </>
  );
  const hint = field.description ? (
    <span id={hintId} className="muted field-hint">
      {field.description}
    </span>
  ) : null;
  const errorText = error ? (
    <span id={errorId} className="field-error">
      {error}
    </span>
  ) : null;

  if (field.kind === "boolean") {
    return (
      <fieldset className="field choice" aria-describedby={describedBy} aria-invalid={error !== null}>
        <legend className="field-label">{label}</legend>
        {hint}
        <div className="choice-options">
          <label>
            <input type="radio" name={id} checked={value === true} onChange={() => onChange(true)} /> Yes
          </label>
          <label>
            <input type="radio" name={id} checked={value === false} onChange={() => onChange(false)} /> No
          </label>
        </div>
        {errorText}
      </fieldset>
    );
  }

  const common = {
    id,
    "aria-describedby": describedBy,
    "aria-invalid": error !== null,
    "aria-required": field.required,
  };
  let control;
  if (field.kind === "enum") {
    control = (
      <select {...common} value={typeof value === "string" ? value : ""} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose…</option>
        {field.options.map((option, index) => (
          <option key={index} value={String(index)}>
            {option === null ? "(none)" : String(option)}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === "string" && field.multiline) {
    control = (
      <textarea
        {...common}
        rows={3}
        maxLength={field.maxLength ?? undefined}
        value={typeof value === "string" ? value : ""}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  } else {
    const numeric = field.kind === "number" || field.kind === "integer";
    control = (
      <input
        {...common}
        type="text"
        inputMode={field.kind === "integer" ? "numeric" : numeric ? "decimal" : undefined}
        maxLength={field.maxLength ?? undefined}
        value={typeof value === "string" ? value : ""}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint}
      {control}
      {errorText}
    </div>
  );
}
