/** Renaming a chat in place: Enter saves, Escape cancels. */

import { useEffect, useRef, useState, type FormEvent } from "react";

interface Props {
  initial: string;
  pending: boolean;
  onSave: (title: string) => void;
  onCancel: () => void;
}

const MAX_TITLE = 255;

export function TitleEditor({ initial, pending, onSave, onCancel }: Props) {
  const [title, setTitle] = useState(initial);
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
      <label className="visually-hidden" htmlFor="chat-title-input">
        Chat title
      </label>
      <input
        id="chat-title-input"
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
        {pending ? "Saving…" : "Save"}
      </button>
      <button type="button" className="button button--small" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
