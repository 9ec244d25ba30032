/**
 * Undo and redo over snapshots of the definition: one step per action a person takes. Typing
 * is one action, not one per keystroke: changes of the same group (a field, say) that follow
 * each other within `COALESCE_MS` replace the newest snapshot instead of adding one.
 */

/** How close two changes of one group must be to count as one step. */
export const COALESCE_MS = 1000;
/** How many steps back undo reaches. */
export const HISTORY_LIMIT = 100;

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** The group of the newest step and when it last changed; null once something else happened. */
  group: string | null;
  at: number;
}

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], group: null, at: 0 };
}

/**
 * `next` recorded as the present. With a `group` equal to the newest step's, changed within
 * `COALESCE_MS`, it replaces that step; an unchanged snapshot records nothing.
 */
export function record<T>(history: History<T>, next: T, at: number, group: string | null = null): History<T> {
  if (next === history.present) return history;
  const coalesce = group !== null && group === history.group && at - history.at <= COALESCE_MS;
  if (coalesce) return { ...history, present: next, future: [], at };
  const past = [...history.past, history.present].slice(-HISTORY_LIMIT);
  return { past, present: next, future: [], group, at };
}

export function canUndo(history: History<unknown>): boolean {
  return history.past.length > 0;
}

export function canRedo(history: History<unknown>): boolean {
  return history.future.length > 0;
}

/** One step back (nothing to undo: unchanged). */
export function undo<T>(history: History<T>): History<T> {
  const previous = history.past.at(-1);
  if (previous === undefined) return history;
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
    group: null,
    at: 0,
  };
}

/** One step forward again (nothing undone: unchanged). */
export function redo<T>(history: History<T>): History<T> {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest, group: null, at: 0 };
}
