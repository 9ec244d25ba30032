/** A tenant's audit log retention: the `audit_retention_days` key of its settings. */

import type { TFunction } from "i18next";

/** The settings key the retention sweep reads, and the range the API accepts. */
export const AUDIT_RETENTION_KEY = "audit_retention_days";
export const AUDIT_RETENTION_MIN_DAYS = 7;
export const AUDIT_RETENTION_MAX_DAYS = 3650;

type Settings = Record<string, unknown>;

/** The tenant's own retention as form text; blank when it follows the platform default. */
export function retentionFormFrom(settings: Settings | null | undefined): string {
  const days = settings?.[AUDIT_RETENTION_KEY];
  return typeof days === "number" ? String(days) : "";
}

/**
 * The settings to save for the form text: every other key kept as it is (the API replaces the
 * whole object), the retention set, or removed when the text is blank (the platform default).
 */
export function settingsWithRetention(
  settings: Settings | null | undefined,
  text: string,
  t: TFunction,
): { ok: true; settings: Settings } | { ok: false; error: string } {
  const { [AUDIT_RETENTION_KEY]: _previous, ...rest } = settings ?? {};
  const trimmed = text.trim().replace(/[_,，\s]/g, "");
  if (!trimmed) return { ok: true, settings: rest };
  const days = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || days < AUDIT_RETENTION_MIN_DAYS || days > AUDIT_RETENTION_MAX_DAYS) {
    return {
      ok: false,
      error: t("retention:auditDaysError", { min: AUDIT_RETENTION_MIN_DAYS, max: AUDIT_RETENTION_MAX_DAYS }),
    };
  }
  return { ok: true, settings: { ...rest, [AUDIT_RETENTION_KEY]: days } };
}
