/**
 * The `human` node's required input schema as a list of fields (name, type, required, title),
 * for the small field editor. Only an object schema whose properties each name one simple type
 * reads as fields; anything richer is edited as JSON. Edits keep what the editor does not show
 * (a field's `maxLength`, `enum`, the schema's `additionalProperties`…).
 */

import { freeName } from "./names";

export const INPUT_FIELD_TYPES = ["string", "number", "integer", "boolean"] as const;
export type InputFieldType = (typeof INPUT_FIELD_TYPES)[number];

export interface InputField {
  name: string;
  type: InputFieldType;
  required: boolean;
  title: string;
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isFieldType = (value: unknown): value is InputFieldType =>
  typeof value === "string" && (INPUT_FIELD_TYPES as readonly string[]).includes(value);

/** The fields of `schema`, or null when it is not a plain list of simple fields. */
export function inputFields(schema: unknown): InputField[] | null {
  if (!isRecord(schema) || schema.type !== "object") return null;
  const properties = schema.properties ?? {};
  if (!isRecord(properties)) return null;
  const required = Array.isArray(schema.required) ? schema.required : [];
  const fields: InputField[] = [];
  for (const [name, property] of Object.entries(properties)) {
    if (!isRecord(property) || !isFieldType(property.type)) return null;
    fields.push({
      name,
      type: property.type,
      required: required.includes(name),
      title: typeof property.title === "string" ? property.title : "",
    });
  }
  return fields;
}

/** `schema` with its field `name` changed as `patch` says (a new name keeps the field's place). */
export function changeField(schema: Json, name: string, patch: Partial<InputField>): Json {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const newName = patch.name ?? name;
  const entries = Object.entries(properties).map(([key, property]): [string, unknown] => {
    if (key !== name) return [key, property];
    const next: Json = { ...(isRecord(property) ? property : {}) };
    if (patch.type !== undefined) next.type = patch.type;
    if (patch.title !== undefined) {
      if (patch.title.trim()) next.title = patch.title;
      else delete next.title;
    }
    return [newName, next];
  });
  let required = (Array.isArray(schema.required) ? schema.required : []).map((key) => (key === name ? newName : key));
  if (patch.required === true && !required.includes(newName)) required = [...required, newName];
  if (patch.required === false) required = required.filter((key) => key !== newName);
  return withParts(schema, entries, required);
}

/** `schema` with one more text field, named `base` or the first free `base_n`. */
export function addField(schema: Json, base: string): Json {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const name = freeName(base, Object.keys(properties));
  const required = Array.isArray(schema.required) ? schema.required : [];
  return withParts(schema, [...Object.entries(properties), [name, { type: "string" }]], required);
}

/** `schema` without the field `name`. */
export function removeField(schema: Json, name: string): Json {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = (Array.isArray(schema.required) ? schema.required : []).filter((key) => key !== name);
  return withParts(
    schema,
    Object.entries(properties).filter(([key]) => key !== name),
    required,
  );
}

function withParts(schema: Json, entries: [string, unknown][], required: unknown[]): Json {
  const next: Json = { ...schema, type: "object", properties: Object.fromEntries(entries) };
  if (required.length > 0) next.required = required;
  else delete next.required;
  return next;
}
