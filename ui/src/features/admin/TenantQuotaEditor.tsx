/** A tenant's quota limits and what it uses of them; blank fields keep their value. */

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import type { QuotaLimits } from "../../api/tenants";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TextField } from "../../components/TextField";
import { formatNumber, useLocale } from "../../lib/format";
import { tenantQuery, updateTenantMutation } from "./queries";
import { QUOTA_FIELDS, parseQuotaForm, quotaFormFrom, type QuotaForm } from "./tenantForm";

export function TenantQuotaEditor({ tenantId, onClose }: { tenantId: string; onClose: () => void }) {
  const { t } = useTranslation("admin");
  const locale = useLocale();
  const { client } = useServices();
  const tenant = useQuery(tenantQuery(client, tenantId));
  const update = useMutation(updateTenantMutation(client));
  // The form starts from the limits as loaded; edits are the person's until they save.
  const [edits, setEdits] = useState<Partial<QuotaForm>>({});
  const [errors, setErrors] = useState<Partial<Record<keyof QuotaLimits, string>>>({});
  const quotas = tenant.data?.quotas;
  const form: QuotaForm | null = tenant.data ? { ...quotaFormFrom(quotas), ...edits } : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form || update.isPending) return;
    const parsed = parseQuotaForm(form, t);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    update.mutate({ tenantId, body: { quotas: parsed.limits } }, { onSuccess: () => setEdits({}) });
  };

  return (
    <div className="quota-editor">
      <ProblemMessage
        error={tenant.error && toApiError(tenant.error)}
        context={t("tenants.loadOneError")}
        onRetry={() => void tenant.refetch()}
      />
      {!form && !tenant.error ? <p className="muted">{t("loading")}</p> : null}
      {form ? (
        <form onSubmit={submit} aria-label={t("tenants.quotaLimits")}>
          {quotas ? (
            <p className="muted">
              {t("tenants.used", {
                sessions: formatNumber(quotas.current_day_sessions, locale),
                tokens: formatNumber(quotas.current_month_tokens, locale),
              })}
            </p>
          ) : null}
          <div className="quota-fields">
            {QUOTA_FIELDS.map(({ key, min }) => (
              <TextField
                key={key}
                label={t(`tenants.quotaFields.${key}`)}
                inputMode="numeric"
                value={form[key]}
                placeholder={t("tenants.orMore", { min })}
                error={errors[key]}
                onChange={(value) => setEdits((e) => ({ ...e, [key]: value }))}
              />
            ))}
          </div>
          <ProblemMessage error={update.error && toApiError(update.error)} context={t("tenants.saveQuotasError")} />
          {update.isSuccess ? (
            <p className="notice" role="status">
              {t("tenants.quotasSaved")}
            </p>
          ) : null}
          <div className="form-actions">
            <button type="submit" className="button button--primary button--small" disabled={update.isPending}>
              {update.isPending ? t("saving") : t("tenants.saveQuotas")}
            </button>
            <button type="button" className="button button--small" onClick={onClose}>
              {t("close")}
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
