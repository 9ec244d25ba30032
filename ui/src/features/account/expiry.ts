/** API key expiry choices. */

export interface ExpiryPreset {
  /** Days from now; null: never expires. */
  days: number | null;
  /** How to say it through `Intl.RelativeTimeFormat` ("in 30 days", "30天后"); absent for never. */
  relative?: { value: number; unit: Intl.RelativeTimeFormatUnit };
}

export const EXPIRY_PRESETS: readonly ExpiryPreset[] = [
  { days: 30, relative: { value: 30, unit: "day" } },
  { days: 90, relative: { value: 90, unit: "day" } },
  { days: 365, relative: { value: 1, unit: "year" } },
  { days: null },
];

/** A preset in the reader's language; `never` says the one without an end. */
export function expiryLabel(preset: ExpiryPreset, locale: string, never: string): string {
  if (!preset.relative) return never;
  return new Intl.RelativeTimeFormat(locale, { numeric: "always" }).format(preset.relative.value, preset.relative.unit);
}

/** The `expires_at` to send for a preset: an ISO time `days` from `now`, or undefined for never. */
export function expiryFromDays(days: number | null, now: number = Date.now()): string | undefined {
  if (days === null) return undefined;
  return new Date(now + days * 86_400_000).toISOString();
}

/** A key's state for the list. */
export function keyState(
  key: { revoked_at?: string | null; expires_at?: string | null },
  now: number = Date.now(),
): "active" | "revoked" | "expired" {
  if (key.revoked_at) return "revoked";
  if (key.expires_at && Date.parse(key.expires_at) <= now) return "expired";
  return "active";
}
