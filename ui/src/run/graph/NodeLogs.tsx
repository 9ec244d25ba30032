/** A node task's own log lines (its calls, their timings, warnings), as the worker kept them. */

import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { useLocale } from "../../lib/format";

export type NodeLogLine = Schemas["NodeLogLine"];

export function NodeLogs({ lines }: { lines: readonly NodeLogLine[] }) {
  const { t } = useTranslation("run");
  const locale = useLocale();
  if (lines.length === 0) return null;
  return (
    <details className="node-state-block node-logs">
      <summary className="node-state-label">{t("details.logs", { count: lines.length })}</summary>
      <ol className="node-log-lines">
        {lines.map((line, i) => (
          <li key={i} className={`node-log-line node-log-line--${line.level.toLowerCase()}`}>
            <time dateTime={line.at}>{new Date(line.at).toLocaleTimeString(locale)}</time>{" "}
            <span className="node-log-level">{line.level}</span> {line.message}
          </li>
        ))}
      </ol>
    </details>
  );
}
