/** The audit log: filter by action, outcome, actor, target, request or time; newest first, paged. */

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { PagedList, RefreshButton, type ListColumn } from "../../components/paged-list/PagedList";
import { usePagedList } from "../../components/paged-list/usePagedList";
import { AuditEntryRow } from "./AuditEntryRow";
import { AuditFilters } from "./AuditFilters";
import { EMPTY_AUDIT_FORM, auditFilterFromForm, type AuditForm } from "./auditFilter";
import { adminKeys, fetchAuditLog, userNamesQuery } from "./queries";

/** The filter survives switching admin tabs (for this page load). */
let lastForm: AuditForm = EMPTY_AUDIT_FORM;

export function AuditLogPanel() {
  const { t } = useTranslation("admin");
  const { client } = useServices();
  const [form, setForm] = useState<AuditForm>(lastForm);
  const list = usePagedList({
    queryKey: adminKeys.audit,
    fetchPage: fetchAuditLog(client),
    initialFilter: auditFilterFromForm(lastForm),
  });
  // Name the actors that are users.
  const names = useQuery(userNamesQuery(client)).data;
  const columns: ListColumn[] = [
    { key: "when", label: t("audit.columns.when") },
    { key: "action", label: t("audit.columns.action") },
    { key: "outcome", label: t("audit.columns.outcome") },
    { key: "actor", label: t("audit.columns.actor") },
    { key: "target", label: t("audit.columns.target") },
    { key: "details", label: t("audit.columns.details") },
  ];

  const apply = (next: AuditForm) => {
    lastForm = next;
    setForm(next);
    list.setFilter(auditFilterFromForm(next));
  };

  return (
    <section aria-labelledby="audit-title" className="admin-panel">
      <div className="page-head">
        <h2 id="audit-title">{t("audit.title")}</h2>
        <RefreshButton busy={list.loading} onRefresh={list.refresh} />
      </div>
      <p className="muted">{t("audit.intro")}</p>
      <AuditFilters form={form} onApply={apply} onReset={() => apply(EMPTY_AUDIT_FORM)} />
      <PagedList
        list={list}
        texts={{
          caption: t("audit.caption"),
          pager: t("audit.pager"),
          empty: t("audit.empty"),
          noMatch: t("audit.noMatch"),
          loadError: t("audit.loadError"),
          count: (count) => t("audit.count", { count }),
        }}
        columns={columns}
        className="audit-table"
        itemKey={(entry) => entry.id}
        renderItem={(entry) => (
          <AuditEntryRow entry={entry} actorName={entry.actor_id ? names?.get(entry.actor_id) : undefined} />
        )}
      />
    </section>
  );
}
