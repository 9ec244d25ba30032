/** The sandbox's message box: Enter sends, Shift+Enter is a newline, nothing sends mid-IME composition. */

import { useId, useState, type FormEvent, type KeyboardEvent, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { shouldSubmit } from "../../../../components/composerKeys";

interface Props {
  inputRef?: RefObject<HTMLTextAreaElement | null>;
  disabled: boolean;
  /** How the latest run stands (said politely to screen readers), or "" for the keys hint. */
  status: string;
  onSend: (text: string) => void;
}

export function SandboxComposer({ inputRef, disabled, status, onSend }: Props) {
  const { t } = useTranslation("sandbox");
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
    <form className="composer sandbox-composer" onSubmit={send}>
      <label htmlFor={inputId} className="visually-hidden">
        {t("composer.label")}
      </label>
      <textarea
        ref={inputRef}
        id={inputId}
        className="composer-input"
        rows={2}
        value={text}
        placeholder={t("composer.placeholder")}
        aria-describedby={hintId}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="composer-bar">
        <span id={hintId} className="composer-hint muted" aria-live="polite">
          {status || t("composer.hint")}
        </span>
        <button type="submit" className="button button--primary button--small" disabled={!canSend}>
          {t("composer.send")}
        </button>
      </div>
    </form>
  );
}
