/**
 * The statistics' numbers and days as the reader's locale writes them (through `Intl`), and the
 * few figures derived from the API's totals (failure rate, the chart's scale).
 */

import type { AgentDayStats, AgentStats } from "./api";

/** A day from the API ("2030-06-01", a UTC date) as a `Date` at that day's UTC midnight. */
function dayDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** A day without a year ("Jun 1", "6月1日"); the API's days are UTC, so they are shown as such. */
export function formatDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(dayDate(day));
}

/** A day with its year and weekday, for the table and tooltips ("Sat, Jun 1, 2030"). */
export function formatLongDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  }).format(dayDate(day));
}

/** A count grouped the local way ("12,345"). */
export function formatInteger(n: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n);
}

/** A large count in short form ("1.2M", "120万"). */
export function formatCompact(n: number, locale: string): string {
  return new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(n);
}

/** Failed runs as a share of all runs (0 to 1), or null when there was no run. */
export function failureRate(stats: Pick<AgentStats, "runs" | "failures">): number | null {
  return stats.runs > 0 ? stats.failures / stats.runs : null;
}

/** A share as a percentage ("2.5%"). */
export function formatPercent(share: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(share);
}

/** An average rating (a decimal sent as a string or number) with one decimal, or null when there is none. */
export function formatRating(value: string | number | null | undefined, locale: string): string | null {
  if (value === null || value === undefined || value === "") return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return null;
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);
}

/** The busiest day's runs (at least 1, so an empty window still has a scale). */
export function chartMax(days: readonly AgentDayStats[]): number {
  return Math.max(1, ...days.map((d) => d.runs ?? 0));
}

/** The day with the most runs (the first of equals), or null when nothing ran. */
export function busiestDay(days: readonly AgentDayStats[]): AgentDayStats | null {
  let best: AgentDayStats | null = null;
  for (const day of days) if ((day.runs ?? 0) > (best?.runs ?? 0)) best = day;
  return best;
}
