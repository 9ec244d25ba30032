/** A check's report: how many conversations were replayed and the count of each verdict, then one row per conversation. */

import { useTranslation } from "react-i18next";
import type { AgentGraph } from "../../run/graph/api";
import type { ConversationVerdict } from "./api";
import { ConversationRow } from "./ConversationRow";
import { summaryParts, type VerdictCounts } from "./report";
import { VerdictBadge } from "./VerdictBadge";

interface Props {
  counts: VerdictCounts;
  report: readonly ConversationVerdict[];
  /** The checked version's graph, to draw the paths on (null while it loads). */
  graph: AgentGraph | null;
}

export function ReplayReport({ counts, report, graph }: Props) {
  const { t } = useTranslation("replayCheck");
  return (
    <div className="replay-report">
      <div className="replay-summary" role="group" aria-label={t("summary.label")}>
        <span>{t("summary.conversations", { count: counts.conversations })}</span>
        {summaryParts(counts).map(({ verdict, count }) => (
          <span key={verdict} className="replay-summary-part" data-summary={verdict}>
            <VerdictBadge verdict={verdict} /> {count}
          </span>
        ))}
      </div>
      <ul className="replay-rows">
        {report.map((entry) => (
          <ConversationRow key={entry.index} entry={entry} graph={graph} />
        ))}
      </ul>
    </div>
  );
}
