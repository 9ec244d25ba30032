/** Platform admins: every tenant — create one with its first admin, change plan, status and quotas. */

import { useState } from "react";
import { TENANT_STATUSES, listTenants, type TenantStatus } from "../../api/tenants";
import { useServices } from "../../app/context";
import { useLoad } from "../../hooks/useLoad";
import { NewTenantForm } from "./NewTenantForm";
import { Pager } from "../../components/Pager";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TenantRow } from "./TenantRow";

const PAGE_SIZE = 50;

export function TenantsPage() {
  const { client } = useServices();
  const [status, setStatus] = useState<TenantStatus | "">("");
  const [offset, setOffset] = useState(0);
  const tenants = useLoad(
    (signal) => listTenants(client, { status: status || undefined, limit: PAGE_SIZE, offset }, signal),
    [client, status, offset],
  );
  const items = tenants.data?.items ?? [];

  return (
    <section className="page page--wide tenants" aria-labelledby="tenants-title">
      <div className="page-head">
        <h1 id="tenants-title">Tenants</h1>
        <button type="button" className="button button--small" onClick={tenants.reload} disabled={tenants.loading}>
          {tenants.loading ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <p className="muted">
        Organisations on this platform. Suspending or deleting a tenant stops its users and keys at once.
      </p>
      <NewTenantForm onCreated={tenants.reload} />
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter tenants">
        <label className="field">
          <span className="field-label">Status</span>
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as TenantStatus | "");
              setOffset(0);
            }}
          >
            <option value="">Any</option>
            {TENANT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ProblemMessage error={tenants.error} context="Could not load tenants" onRetry={tenants.reload} />
      <p className="visually-hidden" role="status">
        {tenants.loading ? "Loading tenants…" : tenants.data ? `${tenants.data.total} tenants` : ""}
      </p>
      {tenants.data && items.length === 0 ? <p className="muted">No tenant matches.</p> : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="admin-table" aria-busy={tenants.loading}>
            <caption className="visually-hidden">Tenants, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Plan</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((tenant) => (
                <TenantRow key={tenant.id} tenant={tenant} onChanged={tenants.reload} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {tenants.data ? (
        <Pager
          label="Tenant pages"
          total={tenants.data.total}
          limit={PAGE_SIZE}
          offset={offset}
          count={items.length}
          disabled={tenants.loading}
          onOffset={setOffset}
        />
      ) : null}
    </section>
  );
}
