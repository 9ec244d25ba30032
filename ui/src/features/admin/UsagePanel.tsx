/** Usage and quotas: a bar per quota, how much is left and when it resets. */

import { useQuery } from "@tanstack/react-query";
import { Trans, useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import { useServices } from "../../app/context";
import { RefreshButton } from "../../components/paged-list/PagedList";
import { ProblemMessage } from "../../components/ProblemMessage";
import { When } from "../../components/When";
import { QuotaBar } from "./QuotaBar";
import { usageQuery } from "./queries";

export function UsagePanel() {
  const { t } = useTranslation("admin");
  const { client } = useServices();
  const usage = useQuery(usageQuery(client));
  const refresh = () => void usage.refetch();
  return (
    <section aria-labelledby="usage-title" className="admin-panel">
      <div className="page-head">
        <h2 id="usage-title">{t("usage.title")}</h2>
        <RefreshButton busy={usage.isFetching} onRefresh={refresh} />
      </div>
      <p className="muted">
        {t("usage.intro")}
        {usage.data ? (
          <>
            {" "}
            <Trans t={t} i18nKey="usage.asOf" components={{ when: <When iso={usage.data.as_of} none="" /> }} />
          </>
        ) : null}
      </p>
      <ProblemMessage error={usage.error && toApiError(usage.error)} context={t("usage.loadError")} onRetry={refresh} />
      {usage.isPending && usage.isFetching ? <p className="muted">{t("loading")}</p> : null}
      {usage.data && usage.data.quotas.length === 0 ? <p className="muted">{t("usage.none")}</p> : null}
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
