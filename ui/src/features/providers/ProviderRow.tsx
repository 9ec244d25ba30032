/** One provider in the list: its names, kind, address and status; Edit opens its form below the row. */

import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Provider } from "./api";
import { ProviderForm } from "./ProviderForm";

interface Props {
  provider: Provider;
  /** How many columns the table has, for the editor row that spans them. */
  columns: number;
  onDelete: () => void;
}

export function ProviderRow({ provider, columns, onDelete }: Props) {
  const { t } = useTranslation("providers");
  const [editing, setEditing] = useState(false);
  const name = provider.display_name;
  const editorId = `provider-editor-${provider.provider_id}`;
  return (
    <>
      <tr className={provider.is_active ? undefined : "row--inactive"}>
        <td data-label={t("providers.columns.provider")}>
          <strong>{name}</strong> <code className="muted">{provider.provider_name}</code>
          {provider.description ? <span className="provider-note">{provider.description}</span> : null}
        </td>
        <td data-label={t("providers.columns.kind")}>{t(`kinds.${provider.kind}`, { defaultValue: provider.kind })}</td>
        <td data-label={t("providers.columns.baseUrl")}>
          {provider.base_url ? <code className="provider-url">{provider.base_url}</code> : t("providers.defaultUrl")}
        </td>
        <td data-label={t("providers.columns.status")}>
          <span className={`badge status status--${provider.is_active ? "ok" : "off"}`}>
            {provider.is_active ? t("active") : t("inactive")}
          </span>
        </td>
        <td>
          <div className="row-actions">
            <button
              type="button"
              className="button button--small"
              aria-expanded={editing}
              aria-controls={editing ? editorId : undefined}
              aria-label={t("providers.editLabel", { name })}
              onClick={() => setEditing((open) => !open)}
            >
              {t("edit")}
            </button>
            <button
              type="button"
              className="button button--small button--danger-outline"
              aria-label={t("providers.deleteLabel", { name })}
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
            <ProviderForm provider={provider} onDone={() => setEditing(false)} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
