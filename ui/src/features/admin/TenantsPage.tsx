/** Platform admins: every tenant — create one with its first admin, change plan, status and quotas. */

import { useTranslation } from "react-i18next";
import { TENANT_STATUSES, type TenantStatus } from "../../api/tenants";
import { useServices } from "../../app/context";
import { PagedList, RefreshButton, type ListColumn } from "../../components/paged-list/PagedList";
import { usePagedList } from "../../components/paged-list/usePagedList";
import { NewTenantForm } from "./NewTenantForm";
import { adminKeys, fetchTenants } from "./queries";
import { TenantRow } from "./TenantRow";

export function TenantsPage() {
  const { t } = useTranslation("admin");
  const { client } = useServices();
  const list = usePagedList({
    queryKey: adminKeys.tenants,
    fetchPage: fetchTenants(client),
    initialFilter: {} as { status?: TenantStatus },
  });
  const columns: ListColumn[] = [
    { key: "tenant", label: t("tenants.columns.tenant") },
    { key: "plan", label: t("tenants.columns.plan") },
    { key: "status", label: t("tenants.columns.status") },
    { key: "created", label: t("tenants.columns.created") },
    { key: "actions", label: t("tenants.columns.actions"), hidden: true },
  ];

  return (
    <section className="page page--wide tenants" aria-labelledby="tenants-title">
      <div className="page-head">
        <h1 id="tenants-title">{t("tenants.title")}</h1>
        <RefreshButton busy={list.loading} onRefresh={list.refresh} />
      </div>
      <p className="muted">{t("tenants.intro")}</p>
      <NewTenantForm />
      <PagedList
        list={list}
        texts={{
          caption: t("tenants.caption"),
          pager: t("tenants.pager"),
          empty: t("tenants.empty"),
          noMatch: t("tenants.noMatch"),
          loadError: t("tenants.loadError"),
          count: (count) => t("tenants.count", { count }),
        }}
        filtersLabel={t("tenants.filtersLabel")}
        filters={
          <label className="field">
            <span className="field-label">{t("tenants.columns.status")}</span>
            <select
              value={list.filter.status ?? ""}
              onChange={(e) => list.setFilter({ status: (e.target.value || undefined) as TenantStatus | undefined })}
            >
              <option value="">{t("any")}</option>
              {TENANT_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`tenants.status.${status}`)}
                </option>
              ))}
            </select>
          </label>
        }
        columns={columns}
        itemKey={(tenant) => tenant.id}
        renderItem={(tenant) => <TenantRow tenant={tenant} columns={columns.length} />}
      />
    </section>
  );
}
