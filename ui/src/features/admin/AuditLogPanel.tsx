/** The audit log: filter by action, outcome, actor, target, request or time; newest first, paged. */

import { useState } from "react";
import { EMPTY_AUDIT_FORM, auditFilterFromForm, type AuditForm } from "./auditFilter";
import { listAuditLogs, type AuditFilter } from "../../api/audit";
import { listUsers } from "../../api/users";
import { useServices } from "../../app/context";
import { useLoad } from "../../hooks/useLoad";
import { AuditEntryRow } from "./AuditEntryRow";
import { AuditFilters } from "./AuditFilters";
import { Pager } from "../../components/Pager";
import { ProblemMessage } from "../../components/ProblemMessage";

const PAGE_SIZE = 50;

/** The filter survives switching admin tabs (for this page load). */
let lastForm: AuditForm = EMPTY_AUDIT_FORM;

export function AuditLogPanel() {
  const { client } = useServices();
  const [form, setForm] = useState<AuditForm>(lastForm);
  const [filter, setFilter] = useState<AuditFilter>(() => auditFilterFromForm(lastForm));
  const [offset, setOffset] = useState(0);
  const log = useLoad(
    (signal) => listAuditLogs(client, filter, { limit: PAGE_SIZE, offset }, signal),
    [client, filter, offset],
  );
  const items = log.data?.items ?? [];
  // Name the actors that are users (the first page of users is enough for most organisations).
  const users = useLoad((signal) => listUsers(client, { limit: 200 }, signal), [client]);
  const actorName = (id: string | null) => (id ? users.data?.items.find((u) => u.id === id)?.email : undefined);

  const apply = (next: AuditForm) => {
    lastForm = next;
    setForm(next);
    setFilter(auditFilterFromForm(next));
    setOffset(0);
  };

  return (
    <section aria-labelledby="audit-title" className="admin-panel">
      <div className="page-head">
        <h2 id="audit-title">Audit log</h2>
        <button type="button" className="button button--small" onClick={log.reload} disabled={log.loading}>
          {log.loading ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <p className="muted">Every state-changing request in your organisation, newest first.</p>
      <AuditFilters form={form} onApply={apply} onReset={() => apply(EMPTY_AUDIT_FORM)} />
      <ProblemMessage error={log.error} context="Could not load the audit log" onRetry={log.reload} />
      <p className="visually-hidden" role="status">
        {log.loading ? "Loading entries…" : log.data ? `${log.data.total} entries` : ""}
      </p>
      {log.data && items.length === 0 ? <p className="muted">No entry matches.</p> : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="admin-table audit-table" aria-busy={log.loading}>
            <caption className="visually-hidden">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">Actor</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => (
                <AuditEntryRow key={entry.id} entry={entry} actorName={actorName(entry.actor_id)} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {log.data ? (
        <Pager
          label="Audit log pages"
          total={log.data.total}
          limit={PAGE_SIZE}
          offset={offset}
          count={items.length}
          disabled={log.loading}
          onOffset={setOffset}
        />
      ) : null}
    </section>
  );
}
