/** The message box: Enter sends, Shift+Enter is a newline; sending waits for the current run. */

import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { shouldSubmit } from "../../components/composerKeys";

interface Props {
  disabled: boolean;
  statusText: string;
  onSend: (text: string) => void;
}

export function Composer({ disabled, statusText, onSend }: Props) {
  const { t } = useTranslation("chat");
  const [text, setText] = useState("");
  const inputId = useId();
  const hintId = useId();
  const canSend = !disabled && text.trim().length > 0;

  function send(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    onSend(text);
    setText("");
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    const native = event.nativeEvent;
    if (
      shouldSubmit({
        key: event.key,
        shiftKey: event.shiftKey,
        altKey: event.altKey,
        isComposing: native.isComposing,
        keyCode: native.keyCode,
      })
    ) {
      event.preventDefault();
      send();
    }
  }

  return (
    <form className="composer" onSubmit={send}>
      <label htmlFor={inputId} className="visually-hidden">
        {t("composer.label")}
      </label>
      <textarea
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
          {statusText || t("composer.hint")}
        </span>
        <button type="submit" className="button button--primary" disabled={!canSend}>
          {t("composer.send")}
        </button>
      </div>
    </form>
  );
}
