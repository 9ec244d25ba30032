/**
 * The builder's state: the definition with its undo history (the one source of truth; the
 * canvas is drawn from it), what is selected, and what was copied. A reducer over the pure
 * edits of `edits.ts`; the time of each change comes with its action, so it stays pure.
 */

import type { WorkflowDefinition } from "./definition";
import { copyNodes, deleteSelection, NOTHING_SELECTED, pasteNodes, type Clipboard, type Selection } from "./edits";
import { record, redo, startHistory, undo, type History } from "./history";

export interface BuilderState {
  history: History<WorkflowDefinition>;
  selection: Selection;
  clipboard: Clipboard | null;
  /** How many times the clipboard was pasted: each paste lands a little further off. */
  pastes: number;
}

export type BuilderAction =
  /** Any edit; changes of one `group` close together are one undo step (typing in a field). */
  | {
      type: "edit";
      apply: (definition: WorkflowDefinition) => WorkflowDefinition;
      at: number;
      group?: string;
      select?: Selection;
    }
  | { type: "undo" }
  | { type: "redo" }
  /** A new selection, or how to change the current one. */
  | { type: "select"; selection: Selection | ((current: Selection) => Selection) }
  | { type: "copy" }
  | { type: "paste"; at: number }
  | { type: "delete"; at: number };

export function initialState(definition: WorkflowDefinition): BuilderState {
  return { history: startHistory(definition), selection: NOTHING_SELECTED, clipboard: null, pastes: 0 };
}

/** The selection without what no longer exists (after an undo, a delete). */
export function validSelection(selection: Selection, definition: WorkflowDefinition): Selection {
  const names = new Set(definition.nodes.map((n) => n.name));
  const nodes = selection.nodes.filter((n) => names.has(n));
  const edge = selection.edge !== null && selection.edge < definition.edges.length ? selection.edge : null;
  if (nodes.length === selection.nodes.length && edge === selection.edge) return selection;
  return { nodes, edge };
}

function withDefinition(state: BuilderState, history: History<WorkflowDefinition>, selection = state.selection) {
  if (history === state.history && selection === state.selection) return state;
  return { ...state, history, selection: validSelection(selection, history.present) };
}

export function builderReducer(state: BuilderState, action: BuilderAction): BuilderState {
  const definition = state.history.present;
  switch (action.type) {
    case "edit": {
      const next = action.apply(definition);
      return withDefinition(state, record(state.history, next, action.at, action.group ?? null), action.select);
    }
    case "undo":
      return withDefinition(state, undo(state.history));
    case "redo":
      return withDefinition(state, redo(state.history));
    case "select": {
      const chosen = typeof action.selection === "function" ? action.selection(state.selection) : action.selection;
      const selection = validSelection(chosen, definition);
      return selection === state.selection ? state : { ...state, selection };
    }
    case "copy": {
      if (state.selection.nodes.length === 0) return state;
      return { ...state, clipboard: copyNodes(definition, state.selection.nodes), pastes: 0 };
    }
    case "paste": {
      if (!state.clipboard || state.clipboard.nodes.length === 0) return state;
      const shift = 40 * (state.pastes + 1);
      const pasted = pasteNodes(definition, state.clipboard, { x: shift, y: shift });
      const history = record(state.history, pasted.definition, action.at);
      return { ...withDefinition(state, history, { nodes: pasted.names, edge: null }), pastes: state.pastes + 1 };
    }
    case "delete": {
      const next = deleteSelection(definition, state.selection);
      return withDefinition(state, record(state.history, next, action.at), NOTHING_SELECTED);
    }
  }
}
