/**
 * A form for a task's `required_input_schema`: simple schemas (an object whose properties
 * are booleans, strings, numbers, integers or enums) become fields; anything else is
 * answered in a JSON editor. Pure: the component keeps the values, this module reads
 * the schema, turns the values into the `input` object and checks what it can.
 */

type Json = Record<string, unknown>;

export type FieldKind = "boolean" | "string" | "number" | "integer" | "enum";

export type EnumValue = string | number | boolean | null;

export interface FormField {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  /** The schema allows null as well (`type: ["string", "null"]`). */
  nullable: boolean;
  description: string | null;
  options: EnumValue[];
  minimum: number | null;
  maximum: number | null;
  exclusiveMinimum: number | null;
  exclusiveMaximum: number | null;
  minLength: number | null;
  maxLength: number | null;
  /** A long text: a textarea rather than a one-line input. */
  multiline: boolean;
}

export interface FormSpec {
  fields: FormField[];
}

/**
 * A field's value as the form holds it: text for strings and numbers, the option's index
 * as text for enums ("" = none chosen), true/false/null (= not answered) for booleans.
 */
export type FieldValue = string | boolean | null;

export type FormValues = Record<string, FieldValue>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const numberOr = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

/** "due_date" → "Due date"; "needsFollowUp" → "Needs follow up". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

const PRIMITIVE_KINDS: Record<string, FieldKind> = {
  boolean: "boolean",
  string: "string",
  number: "number",
  integer: "integer",
};

/** One property's field, or null when the property is not simple. */
function fieldFor(name: string, schema: unknown, required: boolean): FormField | null {
  if (!isRecord(schema)) return null;
  if (["anyOf", "oneOf", "allOf", "not", "const", "$ref", "if"].some((k) => k in schema)) return null;
  let kind: FieldKind | null = null;
  let nullable = false;
  let options: EnumValue[] = [];
  if (Array.isArray(schema.enum)) {
    if (schema.enum.length === 0 || !schema.enum.every((v) => v === null || typeof v !== "object")) return null;
    kind = "enum";
    options = schema.enum as EnumValue[];
  } else {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const named = types.filter((t) => t !== "null");
    nullable = named.length < types.length;
    if (named.length !== 1 || typeof named[0] !== "string") return null;
    kind = PRIMITIVE_KINDS[named[0]] ?? null;
  }
  if (kind === null) return null;
  const maxLength = numberOr(schema.maxLength);
  return {
    name,
    label: typeof schema.title === "string" && schema.title.trim() ? schema.title : humanize(name),
    kind,
    required,
    nullable,
    description: typeof schema.description === "string" ? schema.description : null,
    options,
    minimum: numberOr(schema.minimum),
    maximum: numberOr(schema.maximum),
    exclusiveMinimum: numberOr(schema.exclusiveMinimum),
    exclusiveMaximum: numberOr(schema.exclusiveMaximum),
    minLength: numberOr(schema.minLength),
    maxLength,
    multiline: kind === "string" && (maxLength === null || maxLength > 200),
  };
}

/** The form for `schema`, or null when it needs the JSON editor. */
export function formSpecFor(schema: unknown): FormSpec | null {
  if (!isRecord(schema)) return null;
  if (schema.type !== "object" && !(schema.type === undefined && isRecord(schema.properties))) return null;
  if (["anyOf", "oneOf", "allOf", "not", "patternProperties", "$ref", "if"].some((k) => k in schema)) return null;
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required)
    ? [...new Set(schema.required.filter((r): r is string => typeof r === "string"))]
    : [];
  // Required keys without a property schema cannot be shown as fields.
  if (required.some((name) => !(name in properties))) return null;
  if (Object.keys(properties).length === 0 && schema.additionalProperties !== false) return null;
  // Required fields first, in the order the schema lists them (object key order may not survive
  // storage: PostgreSQL's jsonb sorts keys), then the optional ones.
  const names = [...required, ...Object.keys(properties).filter((name) => !required.includes(name))];
  const fields: FormField[] = [];
  for (const name of names) {
    const field = fieldFor(name, properties[name], required.includes(name));
    if (!field) return null;
    fields.push(field);
  }
  return { fields };
}

/** Starting values: the schema's defaults where given, else empty. */
export function initialValues(spec: FormSpec, schema: unknown): FormValues {
  const properties = isRecord(schema) && isRecord(schema.properties) ? schema.properties : {};
  const values: FormValues = {};
  for (const field of spec.fields) {
    const property = properties[field.name];
    const fallback: unknown = isRecord(property) ? property.default : undefined;
    switch (field.kind) {
      case "boolean":
        values[field.name] = typeof fallback === "boolean" ? fallback : null;
        break;
      case "enum": {
        const index = fallback === undefined ? -1 : field.options.indexOf(fallback as EnumValue);
        values[field.name] = index >= 0 ? String(index) : "";
        break;
      }
      default:
        values[field.name] = typeof fallback === "string" || typeof fallback === "number" ? String(fallback) : "";
    }
  }
  return values;
}

function numberProblem(field: FormField, value: number): string | null {
  if (field.kind === "integer" && !Number.isInteger(value)) return "Enter a whole number.";
  if (field.minimum !== null && value < field.minimum) return `Enter ${field.minimum} or more.`;
  if (field.maximum !== null && value > field.maximum) return `Enter ${field.maximum} or less.`;
  if (field.exclusiveMinimum !== null && value <= field.exclusiveMinimum)
    return `Enter more than ${field.exclusiveMinimum}.`;
  if (field.exclusiveMaximum !== null && value >= field.exclusiveMaximum)
    return `Enter less than ${field.exclusiveMaximum}.`;
  return null;
}

function textProblem(field: FormField, value: string): string | null {
  const length = [...value].length; // JSON Schema counts code points
  if (field.minLength !== null && length < field.minLength) return `Enter at least ${field.minLength} characters.`;
  if (field.maxLength !== null && length > field.maxLength) return `Enter at most ${field.maxLength} characters.`;
  return null;
}

/** Turn the form's values into the task's `input`; `errors` (by field name) is empty when it is valid. */
export function collectInput(spec: FormSpec, values: FormValues): { input: Json; errors: Record<string, string> } {
  const input: Json = {};
  const errors: Record<string, string> = {};
  for (const field of spec.fields) {
    const raw = values[field.name];
    const empty = raw === null || raw === undefined || (typeof raw === "string" && raw.trim() === "");
    if (empty) {
      if (field.required && field.nullable) input[field.name] = null;
      else if (field.required) errors[field.name] = field.kind === "boolean" ? "Choose yes or no." : "Required.";
      continue;
    }
    let problem: string | null = null;
    switch (field.kind) {
      case "boolean":
        input[field.name] = raw === true;
        break;
      case "string":
        problem = textProblem(field, String(raw));
        input[field.name] = String(raw);
        break;
      case "number":
      case "integer": {
        const text = String(raw).trim();
        const value = Number(text);
        problem = Number.isFinite(value) && text !== "" ? numberProblem(field, value) : "Enter a number.";
        input[field.name] = value;
        break;
      }
      case "enum": {
        const index = Number(raw);
        if (Number.isInteger(index) && index >= 0 && index < field.options.length) {
          input[field.name] = field.options[index];
        } else {
          problem = "Choose one of the options.";
        }
        break;
      }
    }
    if (problem) errors[field.name] = problem;
  }
  return { input, errors };
}

/** Parse the JSON editor's text: it must be one JSON object. */
export function parseJsonObject(text: string): { ok: true; value: Json } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  return isRecord(value) ? { ok: true, value } : { ok: false, error: "The input must be a JSON object ({…})." };
}

/** A starting point for the JSON editor: every required property with a placeholder of its type. */
export function jsonSkeleton(schema: unknown): string {
  if (!isRecord(schema) || !isRecord(schema.properties)) return "{}";
  const required = Array.isArray(schema.required) ? schema.required : [];
  const skeleton: Json = {};
  for (const name of required) {
    if (typeof name !== "string") continue;
    const property = schema.properties[name];
    skeleton[name] = placeholder(property);
  }
  return JSON.stringify(skeleton, null, 2);
}

function placeholder(schema: unknown): unknown {
  if (!isRecord(schema)) return null;
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "boolean":
      return false;
    case "string":
      return "";
    case "number":
    case "integer":
      return 0;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return null;
  }
}
