/** One replayed conversation: its verdict, and on demand the answers' diff and both paths on the graph. */

import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AgentGraph } from "../../run/graph/api";
import { AnswerDiff } from "./AnswerDiff";
import type { ConversationVerdict } from "./api";
import { PathView } from "./PathView";
import { VerdictBadge } from "./VerdictBadge";

interface Props {
  entry: ConversationVerdict;
  graph: AgentGraph | null;
}

export function ConversationRow({ entry, graph }: Props) {
  const { t } = useTranslation("replayCheck");
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const number = entry.index + 1;
  return (
    <li className="replay-row" data-verdict={entry.verdict}>
      <div className="replay-row-head">
        <span className="replay-row-title">{t("row.title", { number })}</span>
        <VerdictBadge verdict={entry.verdict} />
        <button
          type="button"
          className="button button--small button--ghost"
          aria-expanded={open}
          aria-controls={detailsId}
          onClick={() => setOpen((shown) => !shown)}
        >
          {t(open ? "row.hide" : "row.show")}
        </button>
      </div>
      {entry.error ? <p className="replay-row-error">{t("row.error", { error: entry.error })}</p> : null}
      {open ? (
        <section id={detailsId} className="replay-row-details" aria-label={t("row.detailsLabel", { number })}>
          <h4>{t("diff.title")}</h4>
          <AnswerDiff diff={entry.answer_diff ?? ""} />
          <h4>{t("path.title")}</h4>
          <PathView recorded={entry.recorded_path} candidate={entry.path} graph={graph} number={number} />
        </section>
      ) : null}
    </li>
  );
}
