/** One service config: its model and provider, the key masked, status; Test, Edit (below the row) and Delete. */

import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ServiceConfig } from "./api";
import { ConfigForm } from "./ConfigForm";
import { ConnectionTestButton } from "./ConnectionTest";
import { KeyHint } from "./KeyHint";

interface Props {
  config: ServiceConfig;
  /** The provider's display name (its id while the providers load). */
  providerName: string;
  /** How many columns the table has, for the editor row that spans them. */
  columns: number;
  onDelete: () => void;
}

export function ConfigRow({ config, providerName, columns, onDelete }: Props) {
  const { t } = useTranslation("providers");
  const [editing, setEditing] = useState(false);
  const name = config.service_display_name;
  const editorId = `config-editor-${config.config_id}`;
  return (
    <>
      <tr className={config.is_active ? undefined : "row--inactive"}>
        <td data-label={t("configs.columns.service")}>
          <strong>{name}</strong> <code className="muted">{config.service_name}</code>
          {config.is_default ? <span className="badge">{t("configs.default")}</span> : null}
        </td>
        <td data-label={t("configs.columns.model")}>
          <code>{config.model}</code>
          <span className="provider-note muted">{providerName}</span>
        </td>
        <td data-label={t("configs.columns.key")}>
          <KeyHint config={config} />
        </td>
        <td data-label={t("configs.columns.status")}>
          <span className={`badge status status--${config.is_active ? "ok" : "off"}`}>
            {config.is_active ? t("active") : t("inactive")}
          </span>
        </td>
        <td>
          <div className="row-actions">
            <ConnectionTestButton config={config} />
            <button
              type="button"
              className="button button--small"
              aria-expanded={editing}
              aria-controls={editing ? editorId : undefined}
              aria-label={t("configs.editLabel", { name })}
              onClick={() => setEditing((open) => !open)}
            >
              {t("edit")}
            </button>
            <button
              type="button"
              className="button button--small button--danger-outline"
              aria-label={t("configs.deleteLabel", { name })}
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
            <ConfigForm config={config} onDone={() => setEditing(false)} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
