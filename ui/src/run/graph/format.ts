/** Durations and state snapshots for the node details, in the person's language (through `Intl`). */

function unit(locale: string, value: number, name: "millisecond" | "second" | "minute", digits = 0): string {
  return new Intl.NumberFormat(locale, {
    style: "unit",
    unit: name,
    unitDisplay: "short",
    maximumFractionDigits: digits,
  }).format(value);
}

/** A node's duration: "850 ms", "2.4 sec", "3 min 5 sec" (en) / "850毫秒", "3分钟5秒" (zh-CN); "" when unknown. */
export function formatDuration(ms: number | null, locale: string): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return unit(locale, Math.round(ms), "millisecond");
  if (ms < 10_000) return unit(locale, ms / 1000, "second", 1);
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 60) return unit(locale, totalSeconds, "second");
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  const parts = [unit(locale, minutes, "minute"), ...(seconds ? [unit(locale, seconds, "second")] : [])];
  return new Intl.ListFormat(locale, { type: "unit", style: "narrow" }).format(parts);
}

/** State read or written by a node, as indented JSON (a string is shown as it is). */
export function formatState(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2) ?? "";
}
