/** A webhook's recent deliveries: event, status, attempts and the last answer, loaded when opened. */

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ProblemMessage } from "../../components/ProblemMessage";
import { When } from "../../components/When";
import { useWebhookDeliveries } from "./api";

export function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const { t } = useTranslation("notifications");
  const [open, setOpen] = useState(false);
  const deliveries = useWebhookDeliveries(webhookId, open);
  const rows = deliveries.data ?? [];
  return (
    <details className="webhook-deliveries" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{t("webhooks.deliveries")}</summary>
      <ProblemMessage error={deliveries.error} context={t("webhooks.loadFailed")} />
      {deliveries.data && rows.length === 0 ? <p className="muted">{t("webhooks.noDeliveries")}</p> : null}
      <ul className="webhook-delivery-list">
        {rows.map((row) => (
          <li key={row.id}>
            <span>{t(`kinds.${row.kind}.title`, { defaultValue: row.kind })}</span>{" "}
            <span className="badge">{t(`webhooks.status.${row.status}`, { defaultValue: row.status })}</span>{" "}
            <span className="muted">
              {t("webhooks.attempts", { count: row.attempts })}
              {row.last_status_code ? ` · HTTP ${row.last_status_code}` : ""} · <When iso={row.created_at} none="" />
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
