/** The chat's actions behind one disclosure button: rename, archive, export, delete. */

import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ExportFormat } from "../../api/chats";

interface Props {
  archived: boolean;
  disabled: boolean;
  onRename: () => void;
  onArchive: (archived: boolean) => void;
  onExport: (format: ExportFormat) => void;
  onDelete: () => void;
}

export function ChatActions({ archived, disabled, onRename, onArchive, onExport, onDelete }: Props) {
  const { t } = useTranslation("chat");
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  const pick = (action: () => void) => () => {
    setOpen(false);
    toggleRef.current?.focus();
    action();
  };

  return (
    <div
      ref={rootRef}
      className="actions"
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          event.stopPropagation();
          setOpen(false);
          toggleRef.current?.focus();
        }
      }}
    >
      <button
        ref={toggleRef}
        type="button"
        className="button button--small"
        aria-expanded={open}
        aria-controls={menuId}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
      >
        {t("actions.menu")} <span aria-hidden="true">▾</span>
      </button>
      <ul id={menuId} className="actions-list" hidden={!open}>
        <li>
          <button type="button" onClick={pick(onRename)}>
            {t("actions.rename")}
          </button>
        </li>
        <li>
          <button type="button" onClick={pick(() => onArchive(!archived))}>
            {archived ? t("actions.unarchive") : t("actions.archive")}
          </button>
        </li>
        <li>
          <button type="button" onClick={pick(() => onExport("markdown"))}>
            {t("actions.exportMarkdown")}
          </button>
        </li>
        <li>
          <button type="button" onClick={pick(() => onExport("json"))}>
            {t("actions.exportJson")}
          </button>
        </li>
        <li>
          <button type="button" className="actions-danger" onClick={pick(onDelete)}>
            {t("actions.delete")}
          </button>
        </li>
      </ul>
    </div>
  );
}
