/**
 * A table row of the providers page with its status, an Edit that opens the item's form in a row
 * below (spanning the table), and Delete. The item's own cells come first, as children.
 */

import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

interface Props {
  active: boolean;
  /** The status column's label (shown on narrow screens). */
  statusLabel: string;
  /** The editor row's id, unique on the page. */
  editorId: string;
  editLabel: string;
  deleteLabel: string;
  /** How many columns the table has, for the editor row that spans them. */
  columns: number;
  onDelete: () => void;
  /** Buttons shown before Edit. */
  actions?: ReactNode;
  /** The item's form; `close` closes the editor. */
  editor: (close: () => void) => ReactNode;
  children: ReactNode;
}

export function EditableRow(props: Props) {
  const { active, statusLabel, editorId, editLabel, deleteLabel, columns, onDelete, actions, editor, children } = props;
  const { t } = useTranslation("providers");
  const [editing, setEditing] = useState(false);
  return (
    <>
      <tr className={active ? undefined : "row--inactive"}>
        {children}
        <td data-label={statusLabel}>
          <span className={`badge status status--${active ? "ok" : "off"}`}>
            {active ? t("active") : t("inactive")}
          </span>
        </td>
        <td>
          <div className="row-actions">
            {actions}
            <button
              type="button"
              className="button button--small"
              aria-expanded={editing}
              aria-controls={editing ? editorId : undefined}
              aria-label={editLabel}
              onClick={() => setEditing((open) => !open)}
            >
              {t("edit")}
            </button>
            <button
              type="button"
              className="button button--small button--danger-outline"
              aria-label={deleteLabel}
              onClick={onDelete}
            >
              {t("delete")}
            </button>
          </div>
        </td>
      </tr>
      {editing ? (
        <tr className="row--editor">
          <td colSpan={columns} id={editorId}>
            {editor(() => setEditing(false))}
          </td>
        </tr>
      ) : null}
    </>
  );
}
