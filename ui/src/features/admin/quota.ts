/** Quota bars: how full each quota is, and how to say it in the reader's language. */

import type { TFunction } from "i18next";
import type { QuotaUsage } from "../../api/usage";
import { formatNumber } from "../../lib/format";

export type QuotaLevel = "ok" | "warn" | "full" | "unlimited";

export interface QuotaBar {
  label: string;
  /** used + reserved */
  used: number;
  limit: number | null;
  /** 0–100, rounded down; 0 when unlimited. */
  percent: number;
  level: QuotaLevel;
  /** "1,200 of 5,000 (24%)" or "1,200 (unlimited)" */
  text: string;
}

/** From 80% the bar warns; at the limit it is full (new work answers 429). */
export const WARN_AT = 80;

/** The quotas the server reports today; a new one shows its name with spaces until it has a label. */
export const KNOWN_QUOTAS = ["users", "agents", "sessions_per_day", "tokens_per_month"] as const;

export function quotaBar(quota: QuotaUsage, t: TFunction, locale: string): QuotaBar {
  const used = quota.used + (quota.reserved ?? 0);
  const label = t(`admin:quota.names.${quota.name}`, { defaultValue: quota.name.replace(/_/g, " ") });
  const count = (n: number) => formatNumber(n, locale);
  if (quota.limit === null) {
    return {
      label,
      used,
      limit: null,
      percent: 0,
      level: "unlimited",
      text: t("admin:quota.unlimited", { used: count(used) }),
    };
  }
  const ratio = quota.limit > 0 ? used / quota.limit : used > 0 ? 1 : 0;
  const percent = Math.min(100, Math.floor(ratio * 100));
  const level: QuotaLevel = used >= quota.limit ? "full" : percent >= WARN_AT ? "warn" : "ok";
  return {
    label,
    used,
    limit: quota.limit,
    percent,
    level,
    text: t("admin:quota.usedOf", {
      used: count(used),
      limit: count(quota.limit),
      percent: formatNumber(percent / 100, locale, { style: "percent" }),
    }),
  };
}
