/**
 * A message box: Enter sends, Shift+Enter is a newline, nothing sends mid-IME composition, and
 * sending waits while `disabled`. The texts come from the caller, in its own namespace.
 */

import { useId, useState, type FormEvent, type KeyboardEvent, type RefObject } from "react";
import { shouldSubmit } from "./composerKeys";

/** The translated texts of a composer. */
export interface ComposerTexts {
  /** The textarea's label (visually hidden). */
  label: string;
  placeholder: string;
  /** Said below the box when there is no status. */
  hint: string;
  send: string;
}

interface Props {
  texts: ComposerTexts;
  disabled: boolean;
  /** How the latest run stands (said politely to screen readers), or "" for the hint. */
  status: string;
  onSend: (text: string) => void;
  inputRef?: RefObject<HTMLTextAreaElement | null>;
  /** Classes added to the form's `composer`. */
  className?: string;
  /** Classes added to the send button's `button button--primary`. */
  buttonClassName?: string;
}

export function MessageComposer({ texts, disabled, status, onSend, inputRef, className, buttonClassName }: Props) {
  const [text, setText] = useState("");
  const inputId = useId();
  const hintId = useId();
  const canSend = !disabled && text.trim().length > 0;

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    onSend(text);
    setText("");
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    const native = event.nativeEvent;
    const submit = shouldSubmit({
      key: event.key,
      shiftKey: event.shiftKey,
      altKey: event.altKey,
      isComposing: native.isComposing,
      keyCode: native.keyCode,
    });
    if (submit) {
      event.preventDefault();
      send();
    }
  };

  return (
    <form className={className ? `composer ${className}` : "composer"} onSubmit={send}>
      <label htmlFor={inputId} className="visually-hidden">
        {texts.label}
      </label>
      <textarea
        ref={inputRef}
        id={inputId}
        className="composer-input"
        rows={2}
        value={text}
        placeholder={texts.placeholder}
        aria-describedby={hintId}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="composer-bar">
        <span id={hintId} className="composer-hint muted" aria-live="polite">
          {status || texts.hint}
        </span>
        <button
          type="submit"
          className={buttonClassName ? `button button--primary ${buttonClassName}` : "button button--primary"}
          disabled={!canSend}
        >
          {texts.send}
        </button>
      </div>
    </form>
  );
}
