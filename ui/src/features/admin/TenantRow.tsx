/** One tenant: plan and status selects (leaving "active" asks first), and its quota editor below. */

import { useState } from "react";
import { TENANT_PLANS, TENANT_STATUSES, updateTenant, type Tenant, type TenantUpdate } from "../../api/tenants";
import { useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TenantQuotaEditor } from "./TenantQuotaEditor";
import { When } from "../../components/When";

const STATUS_TONE: Record<string, string> = { active: "ok", suspended: "warn", deleted: "bad" };
const COLUMNS = 5;

export function TenantRow({ tenant, onChanged }: { tenant: Tenant; onChanged: () => void }) {
  const { client } = useServices();
  const action = useAction();
  const [editing, setEditing] = useState(false);
  const [pendingStatus, setPendingStatus] = useState<TenantUpdate["status"] | null>(null);
  const editorId = `tenant-quotas-${tenant.id}`;

  const save = (body: TenantUpdate) =>
    action
      .run(() => updateTenant(client, tenant.id, body))
      .then((ok) => {
        if (ok) onChanged();
        return ok;
      });

  return (
    <>
      <tr className={tenant.status === "active" ? undefined : "row--inactive"}>
        <td>
          <strong>{tenant.display_name}</strong> <code className="muted">{tenant.name}</code>
          {!pendingStatus ? <ProblemMessage error={action.error} context="Could not update the tenant" /> : null}
        </td>
        <td>
          <label className="visually-hidden" htmlFor={`plan-${tenant.id}`}>
            Plan of {tenant.display_name}
          </label>
          <select
            id={`plan-${tenant.id}`}
            value={tenant.plan}
            disabled={action.pending}
            onChange={(e) => void save({ plan: e.target.value as TenantUpdate["plan"] })}
          >
            {TENANT_PLANS.map((plan) => (
              <option key={plan} value={plan}>
                {plan}
              </option>
            ))}
          </select>
        </td>
        <td>
          <label className="visually-hidden" htmlFor={`status-${tenant.id}`}>
            Status of {tenant.display_name}
          </label>
          <select
            id={`status-${tenant.id}`}
            className={`status-select status--${STATUS_TONE[tenant.status] ?? "off"}`}
            value={tenant.status}
            disabled={action.pending}
            onChange={(e) => {
              const next = e.target.value as TenantUpdate["status"];
              if (next === "active") void save({ status: next });
              else setPendingStatus(next);
            }}
          >
            {TENANT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </td>
        <td>
          <When iso={tenant.created_at} none="—" />
        </td>
        <td>
          <button
            type="button"
            className="button button--small"
            aria-expanded={editing}
            aria-controls={editing ? editorId : undefined}
            onClick={() => setEditing((open) => !open)}
            aria-label={`Quotas of ${tenant.display_name}`}
          >
            Quotas
          </button>
        </td>
      </tr>
      {editing ? (
        <tr className="row--editor">
          <td colSpan={COLUMNS} id={editorId}>
            <TenantQuotaEditor tenantId={tenant.id} onSaved={onChanged} onClose={() => setEditing(false)} />
          </td>
        </tr>
      ) : null}
      <ConfirmDialog
        open={pendingStatus !== null}
        title={pendingStatus === "deleted" ? "Delete this tenant?" : "Suspend this tenant?"}
        confirmLabel={pendingStatus === "deleted" ? "Delete" : "Suspend"}
        danger
        pending={action.pending}
        error={action.error}
        onCancel={() => {
          setPendingStatus(null);
          action.clearError();
        }}
        onConfirm={() => {
          if (!pendingStatus) return;
          void save({ status: pendingStatus }).then((ok) => {
            if (ok) setPendingStatus(null);
          });
        }}
      >
        <p>
          Every user and API key of “{tenant.display_name}” stops working at once.
          {pendingStatus === "deleted"
            ? " Deleting is a soft delete: the data stays."
            : " You can reactivate it later."}
        </p>
      </ConfirmDialog>
    </>
  );
}
