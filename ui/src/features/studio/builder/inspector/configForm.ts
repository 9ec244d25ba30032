/**
 * Between a node's config and the form that edits it. The form shows the type's defaults filled
 * in (a yes/no cannot show "unset"), and gives back only what the person set: keys the node
 * already had, and values that differ from the defaults, so a config stays as short as it was
 * written. Validation problems under `/config` land on the fields they name.
 */

import { deepEquals, type ErrorSchema, type RJSFSchema } from "@rjsf/utils";
import type { ProblemCode, ProblemFieldError } from "../../../../api/problem";
import { placeServerErrors } from "../../../../components/schemaFormErrors";
import type { BuilderProblem } from "../definition";

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const NULL_SCHEMA = (schema: unknown) => isRecord(schema) && schema.type === "null" && Object.keys(schema).length === 1;

/**
 * The schema as the form draws it: `anyOf: [X, {type: "null"}]` as X with `null` added to its
 * type (the same values, but rjsf draws one field instead of a chooser between "Option 1" and
 * "Option 2"), all the way down; a new entry of a text map starts empty. With `dropNotes`, the schema's own (English) descriptions are
 * left out: the catalog has translated help for the built-in types.
 */
export function displaySchema(schema: RJSFSchema, dropNotes = false): RJSFSchema {
  return simplify(schema, dropNotes) as RJSFSchema;
}

function simplify(schema: unknown, dropNotes: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((item) => simplify(item, dropNotes));
  if (!isRecord(schema)) return schema;
  const anyOf = schema.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2 && anyOf.some(NULL_SCHEMA)) {
    const other = anyOf.find((option) => !NULL_SCHEMA(option));
    if (isRecord(other) && typeof other.type === "string") {
      const { anyOf: _anyOf, ...rest } = schema;
      return simplify({ ...rest, ...other, type: [other.type, "null"] }, dropNotes);
    }
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (dropNotes && key === "description") continue;
    if (key === "additionalProperties" && isRecord(value) && value.type === "string" && !("default" in value)) {
      // A new entry of a map (state key → expression…) starts empty, not as rjsf's "New value".
      out[key] = { ...(simplify(value, dropNotes) as Json), default: "" };
      continue;
    }
    out[key] =
      key === "properties" && isRecord(value)
        ? mapValues(value, (property) => simplify(property, dropNotes))
        : simplify(value, dropNotes);
  }
  return out;
}

const mapValues = (record: Json, fn: (value: unknown) => unknown): Json =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)]));

/** What the form shows: the type's defaults with the node's own values over them. */
export function formDataFor(config: Json, defaults: Json): Json {
  return { ...defaults, ...config };
}

/**
 * The node's config after the form changed to `data`: a key is kept when the node had it or when
 * its value is not the default; an emptied field (undefined) goes back to the default.
 */
export function configFromForm(data: Json, original: Json, defaults: Json): Json {
  const next: Json = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (key in original || !deepEquals(value, defaults[key])) next[key] = value;
  }
  return next;
}

/** Whether two configs say the same (rjsf reports changes that change nothing, e.g. on first render). */
export const sameConfig = (a: Json, b: Json): boolean => deepEquals(a, b);

/** Problems under `prefix` placed on the form's fields (rjsf's `extraErrors`); the rest to list apart. */
export function placeProblems(
  problems: readonly BuilderProblem[],
  prefix: string,
  schema: unknown,
  requiredMessage: string,
): { errorSchema: ErrorSchema; other: BuilderProblem[] } {
  // The code goes along: a `schema.required` problem lands on the missing field by it.
  const sources = new Map<ProblemFieldError, BuilderProblem>();
  const errors = problems.map((problem) => {
    const { path, message, code, params } = problem;
    const error: ProblemFieldError = {
      path,
      message,
      ...(code ? { code: code as ProblemCode } : {}),
      ...(params ? { params } : {}),
    };
    sources.set(error, problem);
    return error;
  });
  const { errorSchema, other } = placeServerErrors(errors, { prefixes: [prefix], schema, requiredMessage });
  // The rest as they came (with the language of their text).
  return { errorSchema, other: other.map((error) => sources.get(error) ?? error) };
}

/** The problems at `path` itself. */
export const problemsAt = (problems: readonly BuilderProblem[], path: string): string[] =>
  problems.filter((problem) => problem.path === path).map((problem) => problem.message);
