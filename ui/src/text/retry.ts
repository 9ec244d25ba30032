/** Wording for "try again later" (429 and 503 answers with `Retry-After`). */

/** A short wait: "45 s", "2 min 30 s", "3 h 5 min", "2 days". */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const minutes = Math.floor(s / 60);
    const rest = s % 60;
    return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  if (s < 86_400) {
    const hours = Math.floor(s / 3600);
    const minutes = Math.floor((s % 3600) / 60);
    return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  const days = Math.round(s / 86_400);
  return days === 1 ? "1 day" : `${days} days`;
}

/** The sentence under a 429: when the caller may try again. */
export function retrySentence(secondsLeft: number, at: number, locale?: string): string {
  if (secondsLeft <= 0) return "You can try again now.";
  const date = new Date(at);
  const sameDay = secondsLeft < 86_400 && date.getDate() === new Date(at - secondsLeft * 1000).getDate();
  const clock = sameDay
    ? date.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" })
    : date.toLocaleString(locale, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  return `You can try again in ${formatWait(secondsLeft)} (at ${clock}).`;
}
