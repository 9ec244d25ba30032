/** One service config: its model and provider, the key masked, status; Test, Edit (below the row) and Delete. */

import { useTranslation } from "react-i18next";
import type { ServiceConfig } from "./api";
import { ConfigForm } from "./ConfigForm";
import { ConnectionTestButton } from "./ConnectionTest";
import { EditableRow } from "./EditableRow";
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
  const name = config.service_display_name;
  return (
    <EditableRow
      active={config.is_active}
      statusLabel={t("configs.columns.status")}
      editorId={`config-editor-${config.config_id}`}
      editLabel={t("configs.editLabel", { name })}
      deleteLabel={t("configs.deleteLabel", { name })}
      columns={columns}
      onDelete={onDelete}
      actions={<ConnectionTestButton config={config} />}
      editor={(close) => <ConfigForm config={config} onDone={close} />}
    >
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
    </EditableRow>
  );
}
