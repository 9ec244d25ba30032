/** One audit log entry; its details (and request id, address) behind a disclosure. */

import type { AuditEntry } from "../../api/audit";
import { When } from "../../components/When";

const OUTCOME_TONE: Record<string, string> = { success: "ok", denied: "warn", failed: "bad" };

export function AuditEntryRow({ entry, actorName }: { entry: AuditEntry; actorName?: string | undefined }) {
  const hasDetails = Object.keys(entry.details).length > 0 || entry.request_id || entry.ip_address;
  return (
    <tr>
      <td>
        <When iso={entry.created_at} none="—" />
      </td>
      <td>
        <code>{entry.action}</code>
      </td>
      <td>
        <span className={`badge status status--${OUTCOME_TONE[entry.outcome] ?? "off"}`}>{entry.outcome}</span>
        {entry.status_code !== null ? <span className="muted"> {entry.status_code}</span> : null}
      </td>
      <td>
        <span className="muted">{entry.actor_type === "api_key" ? "API key" : entry.actor_type}</span>{" "}
        {actorName ? <span title={entry.actor_id ?? undefined}>{actorName}</span> : null}
        {!actorName && entry.actor_id ? <code className="id">{entry.actor_id}</code> : null}
        {!entry.actor_id ? "—" : null}
      </td>
      <td>
        {entry.target_type ?? "—"}
        {entry.target_id ? (
          <>
            {" "}
            <code className="id">{entry.target_id}</code>
          </>
        ) : null}
      </td>
      <td>
        {hasDetails ? (
          <details className="audit-details">
            <summary>Show</summary>
            <dl className="audit-facts">
              {entry.request_id ? (
                <>
                  <dt>Request</dt>
                  <dd>
                    <code>{entry.request_id}</code>
                  </dd>
                </>
              ) : null}
              {entry.ip_address ? (
                <>
                  <dt>Address</dt>
                  <dd>{entry.ip_address}</dd>
                </>
              ) : null}
            </dl>
            {Object.keys(entry.details).length > 0 ? (
              <pre className="code-block">{JSON.stringify(entry.details, null, 2)}</pre>
            ) : null}
          </details>
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}
