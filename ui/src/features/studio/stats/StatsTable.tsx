/** The statistics per day as a table, folded under a disclosure: the chart's numbers, readable one by one. */

import { useTranslation } from "react-i18next";
import type { AgentDayStats } from "./api";
import { formatInteger, formatLongDay, formatRating } from "./format";

interface Props {
  days: readonly AgentDayStats[];
  locale: string;
}

/** Days with a run or a rating; the quiet days would be rows of zeros. */
const active = (day: AgentDayStats) => (day.runs ?? 0) > 0 || (day.ratings ?? 0) > 0;

export function StatsTable({ days, locale }: Props) {
  const { t } = useTranslation("agentStats");
  const rows = days.filter(active);
  if (rows.length === 0) return null;
  return (
    <details className="stats-table">
      <summary>{t("table.show")}</summary>
      <div className="table-scroll">
        <table>
          <caption className="muted">{t("table.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("table.day")}</th>
              <th scope="col">{t("table.runs")}</th>
              <th scope="col">{t("table.users")}</th>
              <th scope="col">{t("table.failures")}</th>
              <th scope="col">{t("table.tokens")}</th>
              <th scope="col">{t("table.rating")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((day) => (
              <tr key={day.day}>
                <th scope="row">
                  <time dateTime={day.day}>{formatLongDay(day.day, locale)}</time>
                </th>
                <td>{formatInteger(day.runs ?? 0, locale)}</td>
                <td>{formatInteger(day.users ?? 0, locale)}</td>
                <td>{formatInteger(day.failures ?? 0, locale)}</td>
                <td>{formatInteger(day.tokens ?? 0, locale)}</td>
                <td>
                  {(day.ratings ?? 0) > 0
                    ? t("table.ratingValue", {
                        rating: formatRating(day.average_rating, locale) ?? "—",
                        count: day.ratings ?? 0,
                        formatted: formatInteger(day.ratings ?? 0, locale),
                      })
                    : t("table.none")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
