/**
 * Runs per day as plain CSS bars, failures stacked at the foot of each bar. The chart is one image
 * to assistive technology, named by a summary (the window, the totals, the busiest day); the
 * numbers per day are in the table beside it. Each bar's tooltip gives its day and counts.
 */

import { useTranslation } from "react-i18next";
import type { AgentDayStats } from "./api";
import { busiestDay, chartMax, formatDay, formatInteger, formatLongDay } from "./format";

interface Props {
  days: readonly AgentDayStats[];
  locale: string;
}

export function RunsChart({ days, locale }: Props) {
  const { t } = useTranslation("agentStats");
  const first = days[0];
  const last = days.at(-1);
  if (!first || !last) return null;
  const max = chartMax(days);
  const busiest = busiestDay(days);
  const total = days.reduce((sum, d) => sum + (d.runs ?? 0), 0);
  const failures = days.reduce((sum, d) => sum + (d.failures ?? 0), 0);
  const summary = t("chart.summary", {
    from: formatLongDay(first.day, locale),
    to: formatLongDay(last.day, locale),
    runs: formatInteger(total, locale),
    failures: formatInteger(failures, locale),
    busiest: busiest ? formatLongDay(busiest.day, locale) : "",
    busiestRuns: formatInteger(busiest?.runs ?? 0, locale),
  });
  const share = (n: number | undefined) => `${((n ?? 0) / max) * 100}%`;

  return (
    <figure className="stats-chart">
      <div className="stats-chart-plot">
        <span className="stats-chart-max" aria-hidden="true">
          {formatInteger(max, locale)}
        </span>
        <div className="stats-bars" role="img" aria-label={summary}>
          {days.map((day) => {
            const runs = day.runs ?? 0;
            const failed = day.failures ?? 0;
            return (
              <div
                key={day.day}
                className="stats-bar"
                data-day={day.day}
                title={t("chart.bar", {
                  count: runs,
                  day: formatLongDay(day.day, locale),
                  formatted: formatInteger(runs, locale),
                  failures: formatInteger(failed, locale),
                })}
              >
                <span className="stats-bar-runs" style={{ height: share(runs) }}>
                  {failed > 0 ? (
                    <span className="stats-bar-failures" style={{ height: `${(failed / runs) * 100}%` }} />
                  ) : null}
                </span>
              </div>
            );
          })}
        </div>
      </div>
      <div className="stats-chart-axis" aria-hidden="true">
        <span>{formatDay(first.day, locale)}</span>
        <span>{formatDay(last.day, locale)}</span>
      </div>
      <figcaption className="stats-legend">
        <span className="stats-key stats-key--runs">{t("chart.runs")}</span>
        <span className="stats-key stats-key--failures">{t("chart.failures")}</span>
      </figcaption>
    </figure>
  );
}
