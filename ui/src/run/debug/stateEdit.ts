/**
 * Editing a paused run's state as JSON: what the person typed, checked before it is sent (it
 * parses, it is an object, it removes no key), reduced to the keys that changed; and the
 * server's refusals (422, `errors[].path` = `/body/state/<key>`) read back per key.
 */

import { toApiError } from "../../api/problem";

export type RunState = Record<string, unknown>;

export type StateEditCheck =
  | { ok: true; edits: RunState }
  | { ok: false; problem: "syntax"; detail: string }
  | { ok: false; problem: "notObject" }
  | { ok: false; problem: "removed"; keys: string[] };

/** The state as the editor first shows it: pretty JSON, two spaces. */
export function formatState(state: RunState): string {
  return JSON.stringify(state, null, 2);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Check the editor's text against the state it started from. The edit is the keys whose value
 * changed or that are new (the server refuses undeclared ones); a key cannot be removed, since
 * an edit sets keys and never deletes them.
 */
export function checkStateEdit(original: RunState, text: string): StateEditCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: "syntax", detail: error instanceof Error ? error.message : String(error) };
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return { ok: false, problem: "notObject" };
  const next = parsed as RunState;
  const removed = Object.keys(original).filter((key) => !(key in next));
  if (removed.length) return { ok: false, problem: "removed", keys: removed };
  const edits: RunState = {};
  for (const [key, value] of Object.entries(next))
    if (!(key in original) || !same(original[key], value)) edits[key] = value;
  return { ok: true, edits };
}

const STATE_PATH = /^\/body\/state\/(.+)$/;

/** The server's field errors for state keys, as `[key, message]` pairs (a JSON pointer's escapes undone). */
export function stateKeyErrors(error: unknown): [string, string][] {
  if (!error) return [];
  return toApiError(error).errors.flatMap((item): [string, string][] => {
    const match = STATE_PATH.exec(item.path);
    if (!match) return [];
    const key = match[1]!.split("/")[0]!.replace(/~1/g, "/").replace(/~0/g, "~");
    return [[key, item.message]];
  });
}
