/** One provider in the list: its names, kind, address and status; Edit opens its form below the row. */

import { useTranslation } from "react-i18next";
import type { Provider } from "./api";
import { EditableRow } from "./EditableRow";
import { ProviderForm } from "./ProviderForm";

interface Props {
  provider: Provider;
  /** How many columns the table has, for the editor row that spans them. */
  columns: number;
  onDelete: () => void;
}

export function ProviderRow({ provider, columns, onDelete }: Props) {
  const { t } = useTranslation("providers");
  const name = provider.display_name;
  return (
    <EditableRow
      active={provider.is_active}
      statusLabel={t("providers.columns.status")}
      editorId={`provider-editor-${provider.provider_id}`}
      editLabel={t("providers.editLabel", { name })}
      deleteLabel={t("providers.deleteLabel", { name })}
      columns={columns}
      onDelete={onDelete}
      editor={(close) => <ProviderForm provider={provider} onDone={close} />}
    >
      <td data-label={t("providers.columns.provider")}>
        <strong>{name}</strong> <code className="muted">{provider.provider_name}</code>
        {provider.description ? <span className="provider-note">{provider.description}</span> : null}
      </td>
      <td data-label={t("providers.columns.kind")}>{t(`kinds.${provider.kind}`, { defaultValue: provider.kind })}</td>
      <td data-label={t("providers.columns.baseUrl")}>
        {provider.base_url ? <code className="provider-url">{provider.base_url}</code> : t("providers.defaultUrl")}
      </td>
    </EditableRow>
  );
}
