/**
 * "Replay check" of a draft or submitted version: start one (two options), follow the latest
 * check's progress live, and read its report. The developer's Studio and the reviewer's
 * submission page mount it, each under its own API area.
 */

import { useTranslation } from "react-i18next";
import { ProblemMessage } from "../../components/ProblemMessage";
import { When } from "../../components/When";
import type { AgentGraph } from "../../run/graph/api";
import { REPLAY_CHECK_ANCHOR, useReplayChecks, useStartReplayCheck, type ReplayArea } from "./api";
import { ReplayProblemNote } from "./ReplayProblemNote";
import { ReplayReport } from "./ReplayReport";
import { mergedReport, verdictCounts } from "./report";
import { StartReplayForm } from "./StartReplayForm";
import { useReplayProgress } from "./useReplayProgress";
import "./replayCheck.css";

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The options a check ran with, in words (a check started elsewhere may name fewer). */
function optionsText(t: Translate, options: Record<string, unknown>): string {
  const unmatched = options.unmatched === "refuse" ? "refuse" : "live";
  return t("check.options", {
    conversations: options.conversations ?? "?",
    unmatched: t(`check.unmatched.${unmatched}`),
  });
}

interface Props {
  area: ReplayArea;
  versionId: string;
  /** The checked version's graph, to draw each conversation's paths on. */
  graph: AgentGraph | null;
}

export function ReplayCheckPanel({ area, versionId, graph }: Props) {
  const { t } = useTranslation("replayCheck");
  const checks = useReplayChecks(area, versionId);
  const start = useStartReplayCheck(area, versionId);
  const latest = checks.data?.[0] ?? null;
  const progress = useReplayProgress(area, versionId, latest);
  const running = latest?.status === "running" && progress.finished === null;
  const report = latest ? mergedReport(latest, progress) : [];
  // Until the list is read again after `done`, the counts come from the streamed report.
  const counts = latest ? verdictCounts({ summary: latest.status === "running" ? {} : latest.summary, report }) : null;
  const total = progress.total;
  const status = running ? "running" : (progress.finished ?? latest?.status ?? "");

  return (
    <section id={REPLAY_CHECK_ANCHOR} className="replay-check" aria-labelledby="replay-check-title">
      <h2 id="replay-check-title">{t("title")}</h2>
      <p className="muted">{t("intro")}</p>
      <StartReplayForm
        busy={start.isPending || running}
        pending={start.isPending}
        onStart={(request) => start.mutate(request)}
      />
      <ReplayProblemNote error={start.error} context={t("form.startFailed")} />
      <ProblemMessage error={checks.error} context={t("loadFailed")} onRetry={() => void checks.refetch()} />
      {checks.isPending ? <p className="muted">{t("loading")}</p> : null}
      {checks.data && !latest ? <p className="muted">{t("none")}</p> : null}
      {latest ? (
        <section className="replay-latest" aria-labelledby="replay-latest-title" data-status={status}>
          <h3 id="replay-latest-title">{t("check.heading")}</h3>
          <p className="replay-latest-facts">
            <span className={`badge replay-status replay-status--${status}`}>
              {t(`status.${status}`, { defaultValue: status })}
            </span>{" "}
            <span className="muted">
              {t("check.started")} <When iso={latest.created_at} none="—" />
              {" · "}
              {optionsText(t, latest.options)}
            </span>
          </p>
          {running ? (
            <p role="status" className="replay-progress">
              {total === null && progress.done === 0
                ? t("progressStarting")
                : t("progress", { done: progress.done, total: total ?? "?" })}
              <progress max={total ?? 1} value={total === null ? undefined : progress.done} />
            </p>
          ) : null}
          {counts ? <ReplayReport counts={counts} report={report} graph={graph} /> : null}
        </section>
      ) : null}
    </section>
  );
}
