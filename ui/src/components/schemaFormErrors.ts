/**
 * A 422's `errors[]` (JSON pointers into the request, e.g. `/body/input/approved`) turned into
 * rjsf's `extraErrors`, so each server message shows under the field it is about. Only paths that
 * name a field of the schema are placed: rjsf would silently drop the rest, so they are returned
 * for the page to list.
 */

import type { ErrorSchema } from "@rjsf/utils";
import type { ProblemFieldError } from "../api/problem";

export interface PlacedServerErrors {
  /** The server's messages by field, for rjsf's `extraErrors`. */
  errorSchema: ErrorSchema;
  /** Errors about the request as a whole, other request fields or places the form has no field for. */
  other: ProblemFieldError[];
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** jsonschema's (Python) wording for a missing property; the message is reported on the parent object. */
const REQUIRED = /^'([^']+)' is a required property$/;

const unescapePointer = (segment: string) => segment.replace(/~1/g, "/").replace(/~0/g, "~");

/** The schema of the value at `segments` inside a value of `schema`, or null when the schema has no field there. */
function schemaAt(schema: unknown, segments: readonly string[]): unknown {
  let current: unknown = schema;
  for (const segment of segments) {
    if (!isRecord(current)) return null;
    if (isRecord(current.properties) && segment in current.properties) {
      current = current.properties[segment];
    } else if (/^\d+$/.test(segment) && isRecord(current.items)) {
      current = current.items;
    } else {
      return null;
    }
  }
  return current;
}

function addAt(errorSchema: ErrorSchema, segments: readonly string[], message: string): void {
  let node = errorSchema as Json;
  for (const segment of segments) {
    node[segment] ??= {};
    node = node[segment] as Json;
  }
  ((node.__errors as string[] | undefined) ?? (node.__errors = [])).push(message);
}

/**
 * Sort `errors` for a form of `schema` whose data the request sent at one of `prefixes`
 * (e.g. `["/body/input"]`). "'x' is a required property" becomes `requiredMessage` on field x.
 */
export function placeServerErrors(
  errors: readonly ProblemFieldError[],
  options: { prefixes: readonly string[]; schema: unknown; requiredMessage: string },
): PlacedServerErrors {
  const errorSchema: ErrorSchema = {};
  const other: ProblemFieldError[] = [];
  for (const error of errors) {
    const prefix = options.prefixes.find((p) => error.path === p || error.path.startsWith(`${p}/`));
    if (prefix === undefined) {
      other.push(error);
      continue;
    }
    const segments = error.path.slice(prefix.length).split("/").slice(1).map(unescapePointer);
    const property = error.code === "schema.required" ? error.params?.property : undefined;
    const missing = typeof property === "string" ? property : REQUIRED.exec(error.message)?.[1];
    if (missing !== undefined && schemaAt(options.schema, [...segments, missing]) !== null) {
      addAt(errorSchema, [...segments, missing], options.requiredMessage);
    } else if (segments.length > 0 && schemaAt(options.schema, segments) !== null) {
      addAt(errorSchema, segments, error.message);
    } else {
      other.push(error);
    }
  }
  return { errorSchema, other };
}
