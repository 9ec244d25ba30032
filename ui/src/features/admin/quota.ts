/** Quota bars: how full each quota is, and how to say it. */

import type { QuotaUsage } from "../../api/usage";

export const QUOTA_LABELS: Record<string, string> = {
  users: "Users",
  agents: "Agents",
  sessions_per_day: "Chat sessions today",
  tokens_per_month: "LLM tokens this month",
};

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

export function quotaBar(quota: QuotaUsage, locale?: string): QuotaBar {
  const used = quota.used + (quota.reserved ?? 0);
  const label = QUOTA_LABELS[quota.name] ?? quota.name.replace(/_/g, " ");
  const count = (n: number) => n.toLocaleString(locale);
  if (quota.limit === null) {
    return { label, used, limit: null, percent: 0, level: "unlimited", text: `${count(used)} (unlimited)` };
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
    text: `${count(used)} of ${count(quota.limit)} (${percent}%)`,
  };
}
