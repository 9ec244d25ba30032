/** The tenant's service configs (a provider's model with its key): add, test, edit, delete. */

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PagedList, RefreshButton, type ListColumn } from "../../components/paged-list/PagedList";
import { usePagedList } from "../../components/paged-list/usePagedList";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { deleteConfigMutation, fetchConfigs, providerChoicesQuery, providerKeys } from "./api";
import { ConfigForm } from "./ConfigForm";
import { ConfigRow } from "./ConfigRow";

export function ConfigsSection() {
  const { t } = useTranslation("providers");
  const { client } = useServices();
  const list = usePagedList({ queryKey: providerKeys.configs, fetchPage: fetchConfigs(client), initialFilter: {} });
  const providers = useQuery(providerChoicesQuery(client));
  const remove = useConfirmedMutation(useMutation(deleteConfigMutation(client)));
  const providerName = (id: number) =>
    providers.data?.find((p) => p.provider_id === id)?.display_name ?? t("configs.providerId", { id });
  const columns: ListColumn[] = [
    { key: "service", label: t("configs.columns.service") },
    { key: "model", label: t("configs.columns.model") },
    { key: "key", label: t("configs.columns.key") },
    { key: "status", label: t("configs.columns.status") },
    { key: "actions", label: t("actions"), hidden: true },
  ];

  return (
    <section aria-labelledby="configs-title" className="admin-panel">
      <div className="page-head">
        <h2 id="configs-title">{t("configs.title")}</h2>
        <RefreshButton busy={list.loading} onRefresh={list.refresh} />
      </div>
      <p className="muted">{t("configs.intro")}</p>
      <details className="new-key">
        <summary>{t("configs.add.title")}</summary>
        <ConfigForm />
      </details>
      <PagedList
        list={list}
        texts={{
          caption: t("configs.caption"),
          pager: t("configs.pager"),
          empty: t("configs.empty"),
          loadError: t("configs.loadError"),
          count: (count) => t("configs.count", { count }),
        }}
        columns={columns}
        itemKey={(config) => String(config.config_id)}
        renderItem={(config) => (
          <ConfigRow
            config={config}
            providerName={providerName(config.provider_id)}
            columns={columns.length}
            onDelete={() => remove.ask(config)}
          />
        )}
      />
      <ConfirmDialog title={t("configs.delete.title")} confirmLabel={t("delete")} danger {...remove.dialog}>
        <p>{t("configs.delete.text", { name: remove.target?.service_display_name ?? "" })}</p>
      </ConfirmDialog>
    </section>
  );
}
