/** A one-line platform status on the login page, shown only when something is down. */

import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import type { Health } from "../../api/types";
import { useLocale } from "../../lib/format";
import { useHealth } from "./api";

/** The services a health answer reports as not "up" (its overall `status` aside). */
export function servicesDown(health: Health): string[] {
  return Object.entries(health)
    .filter(([key, value]) => key !== "status" && value !== "up")
    .map(([key]) => key);
}

export function HealthNote() {
  const { t } = useTranslation("auth");
  const locale = useLocale();
  const health = useHealth();
  let problem: string | null = null;
  if (health.data) {
    const down = servicesDown(health.data).map((key) => t(`health.services.${key}`, { defaultValue: key }));
    if (down.length > 0) {
      const services = new Intl.ListFormat(locale, { type: "conjunction" }).format(down);
      problem = t("health.down", { services });
    }
  } else if (health.error) {
    const apiError = toApiError(health.error);
    problem = apiError.status === 503 ? t("health.degraded") : t("health.unknown", { detail: apiError.detail });
  }
  return problem ? (
    <p className="health-note muted" role="status">
      {problem}
    </p>
  ) : null;
}
