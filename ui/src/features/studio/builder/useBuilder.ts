/**
 * The builder's store as a hook (the reducer of `builderState.ts` with its actions bound), and
 * its keyboard shortcuts: undo, redo, copy, paste and delete, except while a field has focus
 * (there the keys edit the text, as everywhere else).
 */

import { useEffect, useMemo, useReducer } from "react";
import type { WorkflowDefinition } from "./definition";
import { builderReducer, initialState } from "./builderState";
import type { Selection } from "./edits";

export function useBuilder(initial: WorkflowDefinition) {
  const [state, dispatch] = useReducer(builderReducer, initial, initialState);
  const actions = useMemo(
    () => ({
      /** An edit; `group` merges a burst of typing in one field into one undo step. */
      edit: (
        apply: (definition: WorkflowDefinition) => WorkflowDefinition,
        options: { group?: string; select?: Selection } = {},
      ) => dispatch({ type: "edit", apply, at: Date.now(), ...options }),
      select: (selection: Selection | ((current: Selection) => Selection)) => dispatch({ type: "select", selection }),
      undo: () => dispatch({ type: "undo" }),
      redo: () => dispatch({ type: "redo" }),
      copy: () => dispatch({ type: "copy" }),
      paste: () => dispatch({ type: "paste", at: Date.now() }),
      remove: () => dispatch({ type: "delete", at: Date.now() }),
    }),
    [],
  );
  return { state, definition: state.history.present, ...actions };
}

export type Shortcut = "undo" | "redo" | "copy" | "paste" | "delete";

/** The shortcut a key press means (Ctrl on most systems, ⌘ on a Mac), or null. */
export function shortcutOf(
  event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">,
): Shortcut | null {
  if (event.altKey) return null;
  const command = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (!command) return key === "delete" || key === "backspace" ? "delete" : null;
  if (key === "z") return event.shiftKey ? "redo" : "undo";
  if (key === "y" && !event.shiftKey) return "redo";
  if (key === "c" && !event.shiftKey) return "copy";
  if (key === "v" && !event.shiftKey) return "paste";
  return null;
}

/** Whether the key press belongs to something that takes typing (a field, an editor, a dialog). */
function typingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest("dialog")) return true;
  if (target.isContentEditable) return true;
  return ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.closest(".cm-editor") !== null;
}

/** Runs `act` for the builder's shortcuts pressed anywhere on the page but in a field. */
export function useBuilderShortcuts(act: (shortcut: Shortcut) => void, enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || typingTarget(event.target)) return;
      const shortcut = shortcutOf(event);
      if (!shortcut) return;
      // Copying selected text on the page stays the browser's.
      if (shortcut === "copy" && (window.getSelection()?.toString() ?? "") !== "") return;
      // Delete belongs to the canvas: a key pressed on a panel's button must not delete a node.
      const inPanel = event.target instanceof HTMLElement && event.target.closest(".builder-side, .builder-palette");
      if (shortcut === "delete" && inPanel) return;
      event.preventDefault();
      act(shortcut);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [act, enabled]);
}
