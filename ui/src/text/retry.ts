/** Wording pieces for "try again later" (429 and 503 answers with `Retry-After`), through `Intl`. */

type Unit = "second" | "minute" | "hour";

/** Below `below` seconds a wait reads in `big` units and the remainder in `small` units. */
const STEPS: { below: number; big: [Unit, number]; small: [Unit, number] | null }[] = [
  { below: 60, big: ["second", 1], small: null },
  { below: 3600, big: ["minute", 60], small: ["second", 1] },
  { below: 86_400, big: ["hour", 3600], small: ["minute", 60] },
];

function unit(locale: string | undefined, name: Unit | "day", value: number): string {
  return new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "short" }).format(value);
}

/**
 * A short wait in the locale's words: "45 sec", "2 min 30 sec", "3 hr 5 min", "2 days"
 * ("45秒", "2分钟30秒" in zh-CN). A zero remainder is left out.
 */
export function formatWait(seconds: number, locale?: string): string {
  const s = Math.max(0, Math.ceil(seconds));
  const step = STEPS.find((candidate) => s < candidate.below);
  if (!step) return unit(locale, "day", Math.round(s / 86_400));
  const [bigUnit, bigSize] = step.big;
  const parts = [unit(locale, bigUnit, Math.floor(s / bigSize))];
  if (step.small) {
    const [smallUnit, smallSize] = step.small;
    const rest = Math.floor((s % bigSize) / smallSize);
    if (rest > 0) parts.push(unit(locale, smallUnit, rest));
  }
  return new Intl.ListFormat(locale, { type: "unit", style: "narrow" }).format(parts);
}

/**
 * When a wait ends, as the clock shows it: the time alone when it ends today, else the date and
 * time. `at` is the end (epoch ms), `secondsLeft` how long until then.
 */
export function retryClock(secondsLeft: number, at: number, locale?: string): string {
  const date = new Date(at);
  const sameDay = secondsLeft < 86_400 && date.getDate() === new Date(at - secondsLeft * 1000).getDate();
  return sameDay
    ? date.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" })
    : date.toLocaleString(locale, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}
