/** One quota as a labelled bar: used of limit, warning from 80%, full at the limit. */

import { Trans, useTranslation } from "react-i18next";
import type { QuotaUsage } from "../../api/usage";
import { When } from "../../components/When";
import { formatNumber, useLocale } from "../../lib/format";
import { quotaBar } from "./quota";

export function QuotaBar({ quota }: { quota: QuotaUsage }) {
  const { t } = useTranslation("admin");
  const locale = useLocale();
  const bar = quotaBar(quota, t, locale);
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
        {bar.level === "full" ? <strong className="quota-full">{t("quota.full")} </strong> : null}
        {quota.reserved ? <span>{t("quota.reserved", { amount: formatNumber(quota.reserved, locale) })} </span> : null}
        {quota.remaining !== null ? (
          <span>{t("quota.remaining", { amount: formatNumber(quota.remaining, locale) })} </span>
        ) : null}
        {quota.resets_at ? (
          <span>
            <Trans t={t} i18nKey="quota.resets" components={{ when: <When iso={quota.resets_at} none="" /> }} />
          </span>
        ) : null}
      </p>
    </li>
  );
}
