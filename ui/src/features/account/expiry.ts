/** API key expiry choices. */

export interface ExpiryPreset {
  /** Days from now; null: never expires. */
  days: number | null;
  label: string;
}

export const EXPIRY_PRESETS: readonly ExpiryPreset[] = [
  { days: 30, label: "In 30 days" },
  { days: 90, label: "In 90 days" },
  { days: 365, label: "In a year" },
  { days: null, label: "Never" },
];

/** The `expires_at` to send for a preset: an ISO time `days` from `now`, or undefined for never. */
export function expiryFromDays(days: number | null, now: number = Date.now()): string | undefined {
  if (days === null) return undefined;
  return new Date(now + days * 86_400_000).toISOString();
}

/** A key's state for the list. */
export function keyState(
  key: { revoked_at: string | null; expires_at: string | null },
  now: number = Date.now(),
): "active" | "revoked" | "expired" {
  if (key.revoked_at) return "revoked";
  if (key.expires_at && Date.parse(key.expires_at) <= now) return "expired";
  return "active";
}
