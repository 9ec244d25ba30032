/** One audit log entry; its details (and request id, address) behind a disclosure. */

import { useTranslation } from "react-i18next";
import type { AuditEntry } from "../../api/audit";
import { When } from "../../components/When";

const OUTCOME_TONE: Record<string, string> = { success: "ok", denied: "warn", failed: "bad" };

export function AuditEntryRow({ entry, actorName }: { entry: AuditEntry; actorName?: string | undefined }) {
  const { t } = useTranslation("admin");
  const hasFacts = Object.keys(entry.details).length > 0;
  const hasDetails = hasFacts || entry.request_id || entry.ip_address;
  return (
    <tr>
      <td data-label={t("audit.columns.when")}>
        <When iso={entry.created_at} none="—" />
      </td>
      <td data-label={t("audit.columns.action")}>
        <code>{entry.action}</code>
      </td>
      <td data-label={t("audit.columns.outcome")}>
        <span className={`badge status status--${OUTCOME_TONE[entry.outcome] ?? "off"}`}>
          {t(`audit.outcome.${entry.outcome}`, { defaultValue: entry.outcome })}
        </span>
        {entry.status_code !== null ? <span className="muted"> {entry.status_code}</span> : null}
      </td>
      <td data-label={t("audit.columns.actor")}>
        <span className="muted">{t(`audit.actor.${entry.actor_type}`, { defaultValue: entry.actor_type })}</span>{" "}
        {actorName ? <span title={entry.actor_id ?? undefined}>{actorName}</span> : null}
        {!actorName && entry.actor_id ? <code className="id">{entry.actor_id}</code> : null}
        {!entry.actor_id ? "—" : null}
      </td>
      <td data-label={t("audit.columns.target")}>
        {entry.target_type ?? "—"}
        {entry.target_id ? (
          <>
            {" "}
            <code className="id">{entry.target_id}</code>
          </>
        ) : null}
      </td>
      <td data-label={t("audit.columns.details")}>
        {hasDetails ? (
          <details className="audit-details">
            <summary>{t("audit.show")}</summary>
            <dl className="audit-facts">
              {entry.request_id ? (
                <>
                  <dt>{t("audit.request")}</dt>
                  <dd>
                    <code>{entry.request_id}</code>
                  </dd>
                </>
              ) : null}
              {entry.ip_address ? (
                <>
                  <dt>{t("audit.address")}</dt>
                  <dd>{entry.ip_address}</dd>
                </>
              ) : null}
            </dl>
            {hasFacts ? <pre className="code-block">{JSON.stringify(entry.details, null, 2)}</pre> : null}
          </details>
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}
