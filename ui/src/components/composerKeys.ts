/** What a key press in the composer means. */

export interface ComposerKey {
  key: string;
  shiftKey: boolean;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  /** True while an IME (e.g. Chinese pinyin) is composing: Enter picks a candidate. */
  isComposing?: boolean;
  keyCode?: number;
}

/** Enter sends; Shift+Enter (or Alt+Enter) is a newline; nothing sends mid-IME composition. */
export function shouldSubmit(event: ComposerKey): boolean {
  if (event.key !== "Enter") return false;
  // keyCode 229 is how some browsers flag a key handled by the IME.
  if (event.isComposing || event.keyCode === 229) return false;
  return !event.shiftKey && !event.altKey;
}
