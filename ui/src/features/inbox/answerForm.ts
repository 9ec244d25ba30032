/**
 * What the answer form adds to a task's `required_input_schema`: a uiSchema that asks yes/no
 * questions with two radio buttons (a reviewer must choose, nothing is pre-selected), long texts
 * in a text area and untitled properties under a readable name; and reading the JSON editor.
 */

import type { UiSchema } from "@rjsf/utils";

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Strings longer than this (or unbounded) get a text area. */
const SHORT_TEXT = 200;

/** "due_date" → "Due date"; "needsFollowUp" → "Needs follow up". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

function typesOf(schema: Json): string[] {
  return (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t): t is string => typeof t === "string");
}

/** The uiSchema of one value of `schema` (its name's label set by the caller). */
function uiFor(schema: unknown): UiSchema {
  if (!isRecord(schema)) return {};
  const types = typesOf(schema);
  const ui: UiSchema = {};
  if (types.includes("boolean") && !("enum" in schema)) {
    ui["ui:widget"] = "radio";
    ui["ui:options"] = { inline: true };
  } else if (types.includes("string") && !("enum" in schema) && !("format" in schema)) {
    const max = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
    if (max > SHORT_TEXT) {
      ui["ui:widget"] = "textarea";
      ui["ui:options"] = { rows: 3 };
    }
  }
  if (isRecord(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties)) {
      const child = uiFor(property);
      if (!(isRecord(property) && typeof property.title === "string" && property.title.trim())) {
        child["ui:title"] = humanize(name);
      }
      ui[name] = child;
    }
    // Required fields first, as the schema lists them: stored schemas may have lost their key order
    // (PostgreSQL's jsonb sorts keys).
    const properties = schema.properties;
    const required = Array.isArray(schema.required)
      ? schema.required.filter((name): name is string => typeof name === "string" && name in properties)
      : [];
    if (required.length > 0) ui["ui:order"] = [...new Set(required), "*"];
  }
  if (isRecord(schema.items)) ui.items = uiFor(schema.items);
  return ui;
}

/** The answer form's uiSchema for a task's input schema. */
export function answerUiSchema(schema: unknown): UiSchema {
  return uiFor(schema);
}

/** Whether the schema asks for nothing at all (an object that allows no properties). */
export function asksNothing(schema: unknown): boolean {
  return (
    isRecord(schema) &&
    schema.additionalProperties === false &&
    (!isRecord(schema.properties) || Object.keys(schema.properties).length === 0)
  );
}

export type ParsedJson =
  { ok: true; value: Json } | { ok: false; reason: "syntax"; detail: string } | { ok: false; reason: "notObject" };

/** Read the JSON editor's text: it must be one JSON object. */
export function parseJsonObject(text: string): ParsedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: "syntax", detail: error instanceof Error ? error.message : String(error) };
  }
  return isRecord(value) ? { ok: true, value } : { ok: false, reason: "notObject" };
}
