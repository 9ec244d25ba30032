/** Placing a 422's `errors[]` next to the form fields they are about. */

import type { ProblemFieldError } from "../../api/problem";

export interface PlacedErrors {
  /** Messages by top-level input field. */
  byField: Record<string, string[]>;
  /** Errors about the input as a whole, nested values or unknown fields. */
  other: ProblemFieldError[];
}

const INPUT_PREFIXES = ["/body/input", "/input"];
const REQUIRED = /^'([^']+)' is a required property$/;

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** Sort `errors` by field: `/body/input/<field>…` goes to `<field>`; "'x' is a required property" to `x`. */
export function placeFieldErrors(errors: readonly ProblemFieldError[], fields: readonly string[]): PlacedErrors {
  const byField: Record<string, string[]> = {};
  const other: ProblemFieldError[] = [];
  const add = (field: string, message: string) => (byField[field] ??= []).push(message);
  for (const error of errors) {
    const prefix = INPUT_PREFIXES.find((p) => error.path === p || error.path.startsWith(`${p}/`));
    if (prefix === undefined) {
      other.push(error);
      continue;
    }
    const rest = error.path.slice(prefix.length);
    if (rest === "") {
      const missing = REQUIRED.exec(error.message);
      if (missing && fields.includes(missing[1]!)) add(missing[1]!, "Required.");
      else other.push(error);
      continue;
    }
    const field = unescapePointer(rest.split("/")[1] ?? "");
    if (fields.includes(field)) add(field, error.message);
    else other.push(error);
  }
  return { byField, other };
}
