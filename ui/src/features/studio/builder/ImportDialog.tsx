/**
 * Importing a definition from a JSON file or pasted text. It replaces the graph (one undo
 * step); text that is not a definition is refused with the reason and changes nothing.
 */

import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { WorkflowDefinition } from "./definition";
import { parseImport, type ImportError } from "./transfer";

interface Props {
  open: boolean;
  onClose: () => void;
  onImport: (definition: WorkflowDefinition) => void;
}

export function ImportDialog({ open, onClose, onImport }: Props) {
  const { t } = useTranslation("builder");
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [text, setText] = useState("");
  const [error, setError] = useState<ImportError | "file" | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setText("");
      setError(null);
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    file.text().then(
      (content) => {
        setText(content);
        setError(null);
      },
      () => setError("file"),
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = parseImport(text);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    onImport(result.definition);
  };

  return (
    <dialog ref={ref} className="dialog builder-import-dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id={`${id}-title`}>{t("import.title")}</h2>
        <div className="dialog-body">
          <p className="muted">{t("import.intro")}</p>
          <div className="field">
            <label className="field-label" htmlFor={`${id}-file`}>
              {t("import.file")}
            </label>
            <input id={`${id}-file`} type="file" accept="application/json,.json" onChange={onFile} />
          </div>
          <div className="field">
            <label className="field-label" htmlFor={`${id}-text`}>
              {t("import.text")}
            </label>
            <textarea
              id={`${id}-text`}
              className="builder-code-input"
              rows={10}
              spellCheck={false}
              value={text}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              onChange={(e) => {
                setText(e.target.value);
                setError(null);
              }}
            />
            {error ? (
              <span id={`${id}-error`} className="field-error" role="alert">
                {t(`import.errors.${error}`)}
              </span>
            ) : null}
          </div>
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t("common:actions.cancel")}
          </button>
          <button type="submit" className="button button--primary" disabled={!text.trim()}>
            {t("import.submit")}
          </button>
        </div>
      </form>
    </dialog>
  );
}
