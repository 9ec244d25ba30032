/**
 * The naming rules of the graph IR (`node_types/ir.py`) checked while a person types, so a bad
 * node or state key name is explained at once instead of after the next validation round trip.
 */

/** `NODE_NAME_PATTERN`: a letter, then letters, digits, `_` or `-` (128 at most). */
export const NODE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;
/** `STATE_KEY_PATTERN`: a letter or `_`, then letters, digits or `_` (128 at most). */
export const STATE_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** The same pattern as the config schemas spell it, to recognise state key fields in them. */
export const STATE_KEY_PATTERN_SOURCE = "^[A-Za-z_][A-Za-z0-9_]{0,127}$";

/** Why a name cannot be used, as a key of the `nodeConfig` catalog's `names` section. */
export type NameProblem = "empty" | "nodePattern" | "keyPattern" | "taken" | "reserved";

/**
 * Words a state key cannot be (`node_types/validation.py`): expressions read keys as names, so a
 * key may not shadow a constant or a Python keyword.
 */
const RESERVED_KEYS = new Set([
  ...["true", "false", "null", "True", "False", "None", "and", "as", "assert", "async", "await", "break"],
  ...["class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global"],
  ...["if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try"],
  ...["while", "with", "yield"],
]);

/** Why `name` cannot name a node next to `others`, or null when it can. */
export function nodeNameProblem(name: string, others: readonly string[]): NameProblem | null {
  if (!name) return "empty";
  if (!NODE_NAME_PATTERN.test(name)) return "nodePattern";
  if (others.includes(name)) return "taken";
  return null;
}

/** Why `name` cannot name a state key next to `others`, or null when it can. */
export function stateKeyProblem(name: string, others: readonly string[]): NameProblem | null {
  if (!name) return "empty";
  if (!STATE_KEY_PATTERN.test(name)) return "keyPattern";
  if (RESERVED_KEYS.has(name)) return "reserved";
  if (others.includes(name)) return "taken";
  return null;
}

/** `base`, or `base_2`, `base_3`… : the first that is not in `taken`. */
export function freeName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i += 1) {
    const candidate = `${base}_${i}`;
    if (!taken.includes(candidate)) return candidate;
  }
}
