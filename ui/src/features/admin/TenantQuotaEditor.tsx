/** A tenant's quota limits and what it uses of them; blank fields keep their value. */

import { useEffect, useState, type FormEvent } from "react";
import { QUOTA_FIELDS, parseQuotaForm, quotaFormFrom, type QuotaForm } from "./tenantForm";
import type { QuotaLimits } from "../../api/tenants";
import { getTenant, updateTenant } from "../../api/tenants";
import { useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { useLoad } from "../../hooks/useLoad";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TextField } from "../../components/TextField";

interface Props {
  tenantId: string;
  onSaved: () => void;
  onClose: () => void;
}

export function TenantQuotaEditor({ tenantId, onSaved, onClose }: Props) {
  const { client } = useServices();
  const tenant = useLoad((signal) => getTenant(client, tenantId, signal), [client, tenantId]);
  const action = useAction();
  const [form, setForm] = useState<QuotaForm | null>(null);
  const [errors, setErrors] = useState<Partial<Record<keyof QuotaLimits, string>>>({});
  const [saved, setSaved] = useState(false);
  const quotas = tenant.data?.quotas;

  useEffect(() => {
    if (tenant.data) setForm(quotaFormFrom(tenant.data.quotas));
  }, [tenant.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form) return;
    const parsed = parseQuotaForm(form);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    setSaved(false);
    const ok = await action.run(async () => {
      tenant.set(await updateTenant(client, tenantId, { quotas: parsed.limits }));
    });
    if (ok) {
      setSaved(true);
      onSaved();
    }
  };

  return (
    <div className="quota-editor">
      <ProblemMessage error={tenant.error} context="Could not load the tenant" onRetry={tenant.reload} />
      {!form ? <p className="muted">Loading…</p> : null}
      {form ? (
        <form onSubmit={submit} aria-label="Quota limits">
          {quotas ? (
            <p className="muted">
              Used: {quotas.current_day_sessions.toLocaleString()} sessions today,{" "}
              {quotas.current_month_tokens.toLocaleString()} tokens this month.
            </p>
          ) : null}
          <div className="quota-fields">
            {QUOTA_FIELDS.map(({ key, label, min }) => (
              <TextField
                key={key}
                label={label}
                inputMode="numeric"
                value={form[key]}
                placeholder={`${min} or more`}
                error={errors[key]}
                onChange={(value) => setForm((f) => (f ? { ...f, [key]: value } : f))}
              />
            ))}
          </div>
          <ProblemMessage error={action.error} context="Could not save the quotas" />
          {saved && !action.error ? (
            <p className="notice" role="status">
              Quotas saved.
            </p>
          ) : null}
          <div className="form-actions">
            <button type="submit" className="button button--primary button--small" disabled={action.pending}>
              {action.pending ? "Saving…" : "Save quotas"}
            </button>
            <button type="button" className="button button--small" onClick={onClose}>
              Close
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
