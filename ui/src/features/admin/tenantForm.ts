/** Tenant forms: quota fields as text, and the limits they mean. */

import type { TFunction } from "i18next";
import type { QuotaLimits, TenantQuotas } from "../../api/tenants";

/** The quota fields and their smallest value (labels: `tenants.quotaFields.<key>`). */
export const QUOTA_FIELDS: readonly { key: keyof QuotaLimits; min: number }[] = [
  { key: "max_users", min: 1 },
  { key: "max_agents", min: 0 },
  { key: "max_sessions_per_day", min: 0 },
  { key: "max_tokens_per_month", min: 0 },
];

export type QuotaForm = Record<keyof QuotaLimits, string>;

export const EMPTY_QUOTA_FORM: QuotaForm = {
  max_users: "",
  max_agents: "",
  max_sessions_per_day: "",
  max_tokens_per_month: "",
};

export const TENANT_NAME = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** A tenant's current limits as form text. */
export function quotaFormFrom(quotas: TenantQuotas | null | undefined): QuotaForm {
  if (!quotas) return { ...EMPTY_QUOTA_FORM };
  return {
    max_users: String(quotas.max_users),
    max_agents: String(quotas.max_agents),
    max_sessions_per_day: String(quotas.max_sessions_per_day),
    max_tokens_per_month: String(quotas.max_tokens_per_month),
  };
}

/** Parse the quota fields: blank ones are left out (they keep their value); answers limits or field errors. */
export function parseQuotaForm(
  form: QuotaForm,
  t: TFunction,
): { ok: true; limits: QuotaLimits } | { ok: false; errors: Partial<Record<keyof QuotaLimits, string>> } {
  const limits: QuotaLimits = {};
  const errors: Partial<Record<keyof QuotaLimits, string>> = {};
  for (const { key, min } of QUOTA_FIELDS) {
    const text = form[key].trim().replace(/[_,，\s]/g, "");
    if (!text) continue;
    if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
      errors[key] = t("admin:tenants.quotaError", { min });
      continue;
    }
    limits[key] = Number(text);
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, limits };
}
