/** One quota as a labelled bar: used of limit, warning from 80%, full at the limit. */

import { quotaBar } from "./quota";
import type { QuotaUsage } from "../../api/usage";
import { When } from "../../components/When";

export function QuotaBar({ quota }: { quota: QuotaUsage }) {
  const bar = quotaBar(quota);
  const labelId = `quota-${quota.name}`;
  return (
    <li className={`quota quota--${bar.level}`}>
      <div className="quota-head">
        <span id={labelId} className="quota-label">
          {bar.label}
        </span>
        <span className="quota-text">{bar.text}</span>
      </div>
      {bar.limit !== null ? (
        <div
          className="quota-track"
          role="meter"
          aria-labelledby={labelId}
          aria-valuemin={0}
          aria-valuemax={bar.limit}
          aria-valuenow={Math.min(bar.used, bar.limit)}
          aria-valuetext={bar.text}
        >
          <div className="quota-fill" style={{ width: `${bar.percent}%` }} />
        </div>
      ) : null}
      <p className="quota-meta muted">
        {bar.level === "full" ? <strong className="quota-full">Limit reached: new requests get “429”. </strong> : null}
        {quota.reserved ? <span>{quota.reserved.toLocaleString()} held by calls in progress. </span> : null}
        {quota.remaining !== null ? <span>{quota.remaining.toLocaleString()} left. </span> : null}
        {quota.resets_at ? (
          <span>
            Resets <When iso={quota.resets_at} none="" />.
          </span>
        ) : null}
      </p>
    </li>
  );
}
