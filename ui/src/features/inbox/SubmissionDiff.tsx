/**
 * "Changes against the published version" on a submission: the version's graph merged with the
 * published one's, what it adds, removes and changes marked on the canvas, and the values listed.
 * When nothing is published yet, everything is new.
 */

import { useTranslation } from "react-i18next";
import type { Submission } from "../../api/reviews";
import { ProblemMessage } from "../../components/ProblemMessage";
import type { AgentGraph } from "../../run/graph/api";
import { GraphDiffView } from "../../run/graph/GraphDiffView";
import { asProblem } from "./queries";
import { usePublishedGraph, useSubmissionDiff } from "./submissionDiffQueries";

interface Props {
  submission: Submission;
  /** The submitted version's graph (the page reads it for its own preview). */
  graph: AgentGraph | null;
}

export function SubmissionDiff({ submission, graph }: Props) {
  const { t } = useTranslation("diff");
  const diff = useSubmissionDiff(submission.id);
  const published = usePublishedGraph(submission.agent_id, Boolean(diff.data?.from));
  // The published graph only adds the removed nodes' types and places: wait for it, not on it.
  const from = published.data ?? null;
  const waiting = Boolean(diff.data?.from) && published.isPending;
  return (
    <section className="submission-diff" aria-labelledby="submission-diff-title">
      <h2 id="submission-diff-title">{t("review.title")}</h2>
      <ProblemMessage
        error={asProblem(diff.error)}
        context={t("review.loadError")}
        onRetry={() => void diff.refetch()}
      />
      {diff.data ? (
        <p className="muted">
          {diff.data.from
            ? t("review.against", { from: diff.data.from, to: diff.data.to })
            : t("review.nothingPublished", { to: diff.data.to })}
        </p>
      ) : null}
      {diff.data && graph && !waiting ? (
        <GraphDiffView
          diff={diff.data}
          from={from}
          to={graph}
          label={t("review.canvas", { agent: submission.agent_name, version: submission.version })}
        />
      ) : diff.error ? null : (
        <p role="status" className="muted">
          {t("loading")}
        </p>
      )}
    </section>
  );
}
