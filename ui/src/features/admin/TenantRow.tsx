/** One tenant: plan and status selects (leaving "active" asks first), and its quota editor below. */

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import { TENANT_PLANS, TENANT_STATUSES, type Tenant, type TenantUpdate } from "../../api/tenants";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { When } from "../../components/When";
import { updateTenantMutation } from "./queries";
import { TenantQuotaEditor } from "./TenantQuotaEditor";
import { TenantRetentionEditor } from "./TenantRetentionEditor";

const STATUS_TONE: Record<string, string> = { active: "ok", suspended: "warn", deleted: "bad" };

/** `columns`: how many the table has, for the editor row that spans them. */
export function TenantRow({ tenant, columns }: { tenant: Tenant; columns: number }) {
  const { t } = useTranslation("admin");
  const { client } = useServices();
  const update = useMutation(updateTenantMutation(client));
  const [editing, setEditing] = useState(false);
  const [pendingStatus, setPendingStatus] = useState<TenantUpdate["status"] | null>(null);
  const editorId = `tenant-quotas-${tenant.id}`;
  const name = tenant.display_name;
  const error = update.error && toApiError(update.error);
  const save = (body: TenantUpdate, onDone?: () => void) =>
    update.mutate({ tenantId: tenant.id, body }, { onSuccess: onDone });

  return (
    <>
      <tr className={tenant.status === "active" ? undefined : "row--inactive"}>
        <td data-label={t("tenants.columns.tenant")}>
          <strong>{name}</strong> <code className="muted">{tenant.name}</code>
          {!pendingStatus ? <ProblemMessage error={error} context={t("tenants.updateError")} /> : null}
        </td>
        <td data-label={t("tenants.columns.plan")}>
          <label className="visually-hidden" htmlFor={`plan-${tenant.id}`}>
            {t("tenants.planOf", { name })}
          </label>
          <select
            id={`plan-${tenant.id}`}
            value={tenant.plan}
            disabled={update.isPending}
            onChange={(e) => save({ plan: e.target.value as TenantUpdate["plan"] })}
          >
            {TENANT_PLANS.map((plan) => (
              <option key={plan} value={plan}>
                {t(`tenants.plan.${plan}`)}
              </option>
            ))}
          </select>
        </td>
        <td data-label={t("tenants.columns.status")}>
          <label className="visually-hidden" htmlFor={`status-${tenant.id}`}>
            {t("tenants.statusOf", { name })}
          </label>
          <select
            id={`status-${tenant.id}`}
            className={`status-select status--${STATUS_TONE[tenant.status] ?? "off"}`}
            value={tenant.status}
            disabled={update.isPending}
            onChange={(e) => {
              const next = e.target.value as TenantUpdate["status"];
              if (next === "active") save({ status: next });
              else setPendingStatus(next);
            }}
          >
            {TENANT_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`tenants.status.${status}`)}
              </option>
            ))}
          </select>
        </td>
        <td data-label={t("tenants.columns.created")}>
          <When iso={tenant.created_at} none="—" />
        </td>
        <td>
          <button
            type="button"
            className="button button--small"
            aria-expanded={editing}
            aria-controls={editing ? editorId : undefined}
            onClick={() => setEditing((open) => !open)}
            aria-label={t("tenants.quotasOf", { name })}
          >
            {t("tenants.quotas")}
          </button>
        </td>
      </tr>
      {editing ? (
        <tr className="row--editor">
          <td colSpan={columns} id={editorId}>
            <TenantQuotaEditor tenantId={tenant.id} onClose={() => setEditing(false)} />
            <TenantRetentionEditor tenantId={tenant.id} />
          </td>
        </tr>
      ) : null}
      <ConfirmDialog
        open={pendingStatus !== null}
        title={pendingStatus === "deleted" ? t("tenants.delete.title") : t("tenants.suspend.title")}
        confirmLabel={pendingStatus === "deleted" ? t("tenants.delete.confirm") : t("tenants.suspend.confirm")}
        danger
        pending={update.isPending}
        error={error}
        onCancel={() => {
          setPendingStatus(null);
          update.reset();
        }}
        onConfirm={() => {
          if (pendingStatus) save({ status: pendingStatus }, () => setPendingStatus(null));
        }}
      >
        <p>{pendingStatus === "deleted" ? t("tenants.delete.text", { name }) : t("tenants.suspend.text", { name })}</p>
      </ConfirmDialog>
    </>
  );
}
