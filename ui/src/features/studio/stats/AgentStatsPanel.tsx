/**
 * An agent's usage on its Studio page: the window's totals as figures (runs, users, failure rate,
 * tokens, the average rating with its count), runs per day as a small bar chart with the failures
 * in it, and the numbers per day as a table. A switch picks the last 7, 30 or 90 days.
 */

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ProblemMessage } from "../../../components/ProblemMessage";
import { useLocale } from "../../../lib/format";
import { STATS_WINDOWS, useAgentStats, type AgentStats, type StatsWindow } from "./api";
import { failureRate, formatCompact, formatInteger, formatLongDay, formatPercent, formatRating } from "./format";
import { RunsChart } from "./RunsChart";
import { StatsTable } from "./StatsTable";
import "./stats.css";

const DEFAULT_WINDOW: StatsWindow = 30;

export function AgentStatsPanel({ agentId }: { agentId: string }) {
  const { t } = useTranslation("agentStats");
  const locale = useLocale();
  const [days, setDays] = useState<StatsWindow>(DEFAULT_WINDOW);
  const stats = useAgentStats(agentId, days);
  const data = stats.data;

  return (
    <section className="agent-stats-panel" aria-labelledby="agent-stats-title" aria-busy={stats.isFetching}>
      <div className="stats-head">
        <h2 id="agent-stats-title">{t("title")}</h2>
        <div className="segmented stats-window" role="group" aria-label={t("window.label")}>
          {STATS_WINDOWS.map((option) => (
            <button key={option} type="button" aria-pressed={option === days} onClick={() => setDays(option)}>
              {t("window.days", { count: option })}
            </button>
          ))}
        </div>
      </div>
      <ProblemMessage error={stats.error} context={t("loadError")} onRetry={() => void stats.refetch()} />
      {stats.isPending ? <p className="muted">{t("loading")}</p> : null}
      {data ? (
        <>
          <p className="muted stats-since">{t("since", { date: formatLongDay(data.since, locale) })}</p>
          <Figures stats={data} locale={locale} />
          {data.runs === 0 ? (
            <p className="muted stats-empty">{t("empty", { count: data.days.length })}</p>
          ) : (
            <RunsChart days={data.days} locale={locale} />
          )}
          <StatsTable days={data.days} locale={locale} />
        </>
      ) : null}
    </section>
  );
}

/** The window's totals; the rating is the agent's overall one. */
function Figures({ stats, locale }: { stats: AgentStats; locale: string }) {
  const { t } = useTranslation("agentStats");
  const rate = failureRate(stats);
  const rating = formatRating(stats.average_rating, locale);
  return (
    <dl className="stats-figures">
      <div className="stats-figure">
        <dt>{t("figures.runs")}</dt>
        <dd className="stats-value">{formatInteger(stats.runs, locale)}</dd>
      </div>
      <div className="stats-figure">
        <dt>{t("figures.users")}</dt>
        <dd className="stats-value">{formatInteger(stats.users, locale)}</dd>
      </div>
      <div className="stats-figure">
        <dt>{t("figures.failureRate")}</dt>
        <dd className={rate === null ? "stats-value stats-value--text" : "stats-value"}>
          {rate === null ? t("figures.none") : formatPercent(rate, locale)}
        </dd>
        <dd className="muted">
          {t("figures.failures", { count: stats.failures, formatted: formatInteger(stats.failures, locale) })}
        </dd>
      </div>
      <div className="stats-figure">
        <dt>{t("figures.tokens")}</dt>
        <dd className="stats-value" title={formatInteger(stats.tokens, locale)}>
          {formatCompact(stats.tokens, locale)}
        </dd>
      </div>
      <div className="stats-figure">
        <dt>{t("figures.rating")}</dt>
        <dd className={rating === null ? "stats-value stats-value--text" : "stats-value"}>
          {rating === null ? t("figures.noRating") : t("figures.ratingValue", { rating })}
        </dd>
        <dd className="muted">
          {t("figures.ratings", { count: stats.rating_count, formatted: formatInteger(stats.rating_count, locale) })}
        </dd>
      </div>
    </dl>
  );
}
