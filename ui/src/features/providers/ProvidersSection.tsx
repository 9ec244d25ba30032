/** The tenant's model providers: add one, edit, delete (with its service configs, after asking). */

import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PagedList, RefreshButton, type ListColumn } from "../../components/paged-list/PagedList";
import { usePagedList } from "../../components/paged-list/usePagedList";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { deleteProviderMutation, fetchProviders, providerKeys } from "./api";
import { ProviderForm } from "./ProviderForm";
import { ProviderRow } from "./ProviderRow";

export function ProvidersSection() {
  const { t } = useTranslation("providers");
  const { client } = useServices();
  const list = usePagedList({ queryKey: providerKeys.providers, fetchPage: fetchProviders(client), initialFilter: {} });
  const remove = useConfirmedMutation(useMutation(deleteProviderMutation(client)));
  const columns: ListColumn[] = [
    { key: "provider", label: t("providers.columns.provider") },
    { key: "kind", label: t("providers.columns.kind") },
    { key: "baseUrl", label: t("providers.columns.baseUrl") },
    { key: "status", label: t("providers.columns.status") },
    { key: "actions", label: t("actions"), hidden: true },
  ];

  return (
    <section aria-labelledby="providers-title" className="admin-panel">
      <div className="page-head">
        <h2 id="providers-title">{t("providers.title")}</h2>
        <RefreshButton busy={list.loading} onRefresh={list.refresh} />
      </div>
      <details className="new-key">
        <summary>{t("providers.add.title")}</summary>
        <ProviderForm />
      </details>
      <PagedList
        list={list}
        texts={{
          caption: t("providers.caption"),
          pager: t("providers.pager"),
          empty: t("providers.empty"),
          loadError: t("providers.loadError"),
          count: (count) => t("providers.count", { count }),
        }}
        columns={columns}
        itemKey={(provider) => String(provider.provider_id)}
        renderItem={(provider) => (
          <ProviderRow provider={provider} columns={columns.length} onDelete={() => remove.ask(provider)} />
        )}
      />
      <ConfirmDialog title={t("providers.delete.title")} confirmLabel={t("delete")} danger {...remove.dialog}>
        <p>{t("providers.delete.text", { name: remove.target?.display_name ?? "" })}</p>
      </ConfirmDialog>
    </section>
  );
}
