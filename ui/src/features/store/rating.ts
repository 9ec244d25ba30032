/** Ratings and counts as the store shows them, formatted by `Intl` in the reader's locale. */

/** An average rating from the API (a decimal, sent as a number or a string), or null. */
export function ratingValue(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) && n > 0 ? Math.min(5, n) : null;
}

/** An average with one decimal, the local way ("4.3"); null when there is no rating yet. */
export function formatAverage(value: number | string | null | undefined, locale?: string): string | null {
  const rating = ratingValue(value);
  if (rating === null) return null;
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(rating);
}

/** Five stars for a whole rating: "★★★☆☆". */
export function starString(rating: number): string {
  const full = Math.max(0, Math.min(5, Math.round(rating)));
  return "★".repeat(full) + "☆".repeat(5 - full);
}

/** A compact count: 950, 1.2K, 3.4M (en); 950, 1.2万 (zh-CN). */
export function formatCount(n: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(n);
}
