/**
 * Budgets: per-agent and per-user monthly token budgets under the organisation's quota, with this
 * month's use, and the runs that wait for a budget (they go on by themselves when it is raised or
 * the month ends).
 */

import { useQuery } from "@tanstack/react-query";
import { Trans, useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { RefreshButton } from "../../components/paged-list/PagedList";
import { ProblemMessage } from "../../components/ProblemMessage";
import { When } from "../../components/When";
import { formatNumber, useLocale } from "../../lib/format";
import { BudgetRow } from "./BudgetRow";
import "./budgets.css";
import { budgetsQuery, waitingRunsQuery, type Budget, type BudgetsReport, type BudgetWaitRun } from "./budgetsApi";

const SECTIONS = ["agent", "user", "user_personal"] as const;

export function BudgetsPanel() {
  const { t } = useTranslation("budgets");
  const { client } = useServices();
  const report = useQuery(budgetsQuery(client));
  const waiting = useQuery(waitingRunsQuery(client));
  const refresh = () => {
    void report.refetch();
    void waiting.refetch();
  };
  return (
    <section aria-labelledby="budgets-title" className="admin-panel budgets">
      <div className="page-head">
        <h2 id="budgets-title">{t("title")}</h2>
        <RefreshButton busy={report.isFetching || waiting.isFetching} onRefresh={refresh} />
      </div>
      <p className="muted">{t("intro")}</p>
      <ProblemMessage error={report.error} context={t("loadError")} onRetry={refresh} />
      {report.isPending && report.isFetching ? <p className="muted">{t("loading")}</p> : null}
      {report.data ? <TenantLine report={report.data} /> : null}
      {report.data
        ? SECTIONS.map((scope) => (
            <BudgetSection key={scope} scope={scope} budgets={report.data.budgets.filter((b) => b.scope === scope)} />
          ))
        : null}
      <WaitingRuns runs={waiting.data} error={waiting.error} report={report.data} />
    </section>
  );
}

function TenantLine({ report }: { report: BudgetsReport }) {
  const { t } = useTranslation("budgets");
  const locale = useLocale();
  const tenant = report.tenant;
  const used = formatNumber(tenant.used + tenant.reserved, locale);
  return (
    <p className="budget-tenant">
      {tenant.limit === null
        ? t("tenant.usedNoLimit", { used })
        : t("tenant.usedOf", { used, limit: formatNumber(tenant.limit, locale) })}{" "}
      <Trans t={t} i18nKey="tenant.resets" components={{ when: <When iso={report.period_end} none="" /> }} />
      {tenant.waiting_runs > 0 ? (
        <strong className="budget-tenant-waiting"> {t("tenant.waiting", { count: tenant.waiting_runs })}</strong>
      ) : null}
    </p>
  );
}

function BudgetSection({ scope, budgets }: { scope: (typeof SECTIONS)[number]; budgets: Budget[] }) {
  const { t } = useTranslation("budgets");
  // Own-key spending shows only for people who spent or were given a limit.
  if (scope === "user_personal" && budgets.length === 0) return null;
  const titleId = `budgets-${scope}`;
  return (
    <section aria-labelledby={titleId} className="budget-section">
      <h3 id={titleId}>{t(`sections.${scope}`)}</h3>
      <p className="muted">{t(`sectionHints.${scope}`)}</p>
      {budgets.length === 0 ? (
        <p className="muted">{t("none")}</p>
      ) : (
        <ul className="budget-list">
          {budgets.map((budget) => (
            <BudgetRow key={`${budget.scope}:${budget.subject_id}`} budget={budget} />
          ))}
        </ul>
      )}
    </section>
  );
}

function WaitingRuns({
  runs,
  error,
  report,
}: {
  runs: BudgetWaitRun[] | undefined;
  error: unknown;
  report: BudgetsReport | undefined;
}) {
  const { t } = useTranslation("budgets");
  const names = new Map((report?.budgets ?? []).map((b) => [`${b.scope}:${b.subject_id}`, b.subject_name]));
  const which = (run: BudgetWaitRun) =>
    run.scope === "tenant"
      ? t("scopes.tenant")
      : t("waiting.which", {
          scope: t(`scopes.${run.scope}`),
          name: names.get(`${run.scope}:${run.subject_id}`) ?? run.subject_id,
        });
  return (
    <section aria-labelledby="budgets-waiting" className="budget-section">
      <h3 id="budgets-waiting">{t("waiting.title")}</h3>
      <ProblemMessage error={error} context={t("waiting.loadError")} />
      {runs && runs.length === 0 ? <p className="muted">{t("waiting.none")}</p> : null}
      {runs && runs.length > 0 ? (
        <ul className="budget-waiting-list" aria-label={t("waiting.title")}>
          {runs.map((run) => (
            <li key={run.execution_id} className="budget-waiting">
              <strong>{run.agent_name || run.agent_id}</strong> <span className="muted">{run.user_email ?? ""}</span>{" "}
              <span>{t("waiting.for", { which: which(run), node: run.node_name })}</span>{" "}
              <span className="muted">
                <Trans t={t} i18nKey="waiting.since" components={{ when: <When iso={run.since} none="" /> }} />{" "}
                <Trans t={t} i18nKey="waiting.until" components={{ when: <When iso={run.period_end} none="" /> }} />
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
