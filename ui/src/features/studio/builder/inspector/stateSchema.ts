/**
 * Edits of the graph's state schema (`state: {key: StateKey}`) as pure functions: add, rename
 * (keeping the key's place), change and remove a key. Key order is the person's.
 */

import type { StateKey } from "../definition";
import { freeName } from "./names";

export type StateSchema = Record<string, StateKey>;

/** The simple type names a key may have (`SIMPLE_TYPES` in node_types/ir.py); else a JSON Schema. */
export const SIMPLE_TYPES = ["any", "string", "number", "integer", "boolean", "object", "array", "null"] as const;

/** How writes to a key combine (`Reducer` in node_types/ir.py, `node_types/reducers.py`). */
export const REDUCERS = ["replace", "append", "add_messages", "merge"] as const;
export type Reducer = (typeof REDUCERS)[number];

/** `state` with a new key (`key`, or `key_2`…) of any type that is replaced on each write. */
export function addStateKey(state: StateSchema, base = "key"): { state: StateSchema; name: string } {
  const name = freeName(base, Object.keys(state));
  return { state: { ...state, [name]: { type: "any", reducer: "replace" } }, name };
}

/** `state` with `from` renamed `to`, in the same place. */
export function renameStateKey(state: StateSchema, from: string, to: string): StateSchema {
  return Object.fromEntries(Object.entries(state).map(([key, spec]) => [key === from ? to : key, spec]));
}

/** `state` with key `name` changed by `patch`; a field set to undefined is removed (its default). */
export function changeStateKey(state: StateSchema, name: string, patch: Partial<StateKey>): StateSchema {
  const current = state[name] ?? {};
  const next: Record<string, unknown> = { ...current, ...patch };
  for (const field of Object.keys(next)) if (next[field] === undefined) delete next[field];
  return { ...state, [name]: next as StateKey };
}

/** `state` without key `name`. */
export function removeStateKey(state: StateSchema, name: string): StateSchema {
  return Object.fromEntries(Object.entries(state).filter(([key]) => key !== name));
}

/** A key's type as the editor's type choice: a simple name, or "schema" for a JSON Schema. */
export function typeChoice(spec: StateKey): string {
  return typeof spec.type === "object" && spec.type !== null ? "schema" : (spec.type ?? "any");
}
