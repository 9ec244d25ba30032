/** Short, locale-aware times for lists ("5 min ago", "Mar 3"). */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
];

/** A relative time for recent moments, a date for older ones; "" for an unreadable input. */
export function formatRelativeTime(iso: string, now: number = Date.now(), locale?: string): string {
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) return "";
  let value = (time - now) / 1000;
  if (Math.abs(value) < 45) return new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(0, "second");
  for (const [unit, size] of UNITS) {
    if (Math.abs(value) < size) {
      return new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(Math.round(value), unit);
    }
    value /= size;
  }
  const date = new Date(time);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleDateString(locale, { month: "short", day: "numeric", ...(sameYear ? {} : { year: "numeric" }) });
}

/** A calendar date ("Jun 15, 2030" / "2030年6月15日"); the input itself when unreadable. */
export function formatDate(iso: string, locale?: string): string {
  const time = Date.parse(iso);
  return Number.isFinite(time) ? new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(time) : iso;
}

/** A full timestamp for tooltips. */
export function formatTimestamp(iso: string, locale?: string): string {
  const time = Date.parse(iso);
  return Number.isFinite(time) ? new Date(time).toLocaleString(locale) : iso;
}

/** A message's time: the clock time today, else the date and time. */
export function formatMessageTime(iso: string, now: number = Date.now(), locale?: string): string {
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) return "";
  const date = new Date(time);
  const today = new Date(now);
  const clock: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit" };
  if (date.toDateString() === today.toDateString()) return date.toLocaleTimeString(locale, clock);
  return date.toLocaleString(locale, { month: "short", day: "numeric", ...clock });
}
