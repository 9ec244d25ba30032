/** Usage and quotas: a bar per quota, how much is left and when it resets. */

import { getUsage } from "../../api/usage";
import { useServices } from "../../app/context";
import { useLoad } from "../../hooks/useLoad";
import { ProblemMessage } from "../../components/ProblemMessage";
import { QuotaBar } from "./QuotaBar";
import { When } from "../../components/When";

export function UsagePanel() {
  const { client } = useServices();
  const usage = useLoad((signal) => getUsage(client, signal), [client]);
  return (
    <section aria-labelledby="usage-title" className="admin-panel">
      <div className="page-head">
        <h2 id="usage-title">Usage &amp; quotas</h2>
        <button type="button" className="button button--small" onClick={usage.reload} disabled={usage.loading}>
          {usage.loading ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <p className="muted">
        Your plan&apos;s limits. When one is reached, new work of that kind is refused (HTTP 429) until it resets.
        {usage.data ? (
          <>
            {" "}
            As of <When iso={usage.data.as_of} none="now" />.
          </>
        ) : null}
      </p>
      <ProblemMessage error={usage.error} context="Could not load usage" onRetry={usage.reload} />
      {usage.loading && !usage.data ? <p className="muted">Loading…</p> : null}
      {usage.data && usage.data.quotas.length === 0 ? <p className="muted">No quotas apply.</p> : null}
      {usage.data && usage.data.quotas.length > 0 ? (
        <ul className="quota-list">
          {usage.data.quotas.map((quota) => (
            <QuotaBar key={quota.name} quota={quota} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
