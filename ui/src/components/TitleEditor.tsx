/** Renaming in place (a chat, a user): Enter saves, Escape cancels. */

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

interface Props {
  initial: string;
  /** The input's (visually hidden) label; "Chat title" by default. */
  label?: string;
  pending: boolean;
  onSave: (title: string) => void;
  onCancel: () => void;
}

const MAX_TITLE = 255;

export function TitleEditor({ initial, label, pending, onSave, onCancel }: Props) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(initial);
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);
  const trimmed = title.trim();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!trimmed || pending) return;
    if (trimmed === initial.trim()) onCancel();
    else onSave(trimmed);
  };
  return (
    <form className="title-editor" onSubmit={submit}>
      <label className="visually-hidden" htmlFor={id}>
        {label ?? t("titleEditor.label")}
      </label>
      <input
        id={id}
        ref={inputRef}
        type="text"
        value={title}
        maxLength={MAX_TITLE}
        onChange={(e) => setTitle(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            onCancel();
          }
        }}
      />
      <button type="submit" className="button button--small button--primary" disabled={!trimmed || pending}>
        {pending ? t("actions.saving") : t("actions.save")}
      </button>
      <button type="button" className="button button--small" onClick={onCancel}>
        {t("actions.cancel")}
      </button>
    </form>
  );
}
