/** Ratings and counts as the store shows them. */

/** An average rating from the API (a decimal, sent as a number or a string), or null. */
export function ratingValue(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) && n > 0 ? Math.min(5, n) : null;
}

/** "4.3 ★ (12 ratings)", or "No ratings yet". */
export function formatRating(value: number | string | null | undefined, count?: number): string {
  const rating = ratingValue(value);
  if (rating === null) return "No ratings yet";
  const stars = `${rating.toFixed(1)} ★`;
  if (count === undefined) return stars;
  return `${stars} (${count} ${count === 1 ? "rating" : "ratings"})`;
}

/** Five stars for a whole rating: "★★★☆☆". */
export function starString(rating: number): string {
  const full = Math.max(0, Math.min(5, Math.round(rating)));
  return "★".repeat(full) + "☆".repeat(5 - full);
}

/** A compact count: 950, 1.2k, 3.4M. */
export function formatCount(n: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(n);
}
