/**
 * One store submission: what the developer says changed, the version's graph as its runs will
 * draw it, a sandbox chat to try it, and the decision — publish it, or send it back with a
 * reason the developer reads.
 */

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { ApiClient } from "../../api/client";
import type { AgentGraph } from "../../run/graph/api";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { GraphPreview } from "../../run/graph/GraphPreview";
import { ReplayCheckPanel } from "../replayCheck/ReplayCheckPanel";
import { ReplayProblemNote } from "../replayCheck/ReplayProblemNote";
import { asProblem } from "./queries";
import { ReviewTabs } from "./ReviewTabs";
import { SubmissionDiff } from "./SubmissionDiff";
import { SubmissionSandbox } from "./SubmissionSandbox";
import { useDecision, useSubmissions } from "./submissionQueries";

function getSubmissionGraph(client: ApiClient, versionId: string, signal?: AbortSignal): Promise<AgentGraph> {
  return client.request<AgentGraph>(`/api/v1/reviews/versions/${encodeURIComponent(versionId)}/graph`, { signal });
}

export function SubmissionPage({ versionId }: { versionId: string }) {
  const { t } = useTranslation("inbox");
  const { client } = useServices();
  const submissions = useSubmissions();
  const graph = useQuery({
    queryKey: ["reviews", "submissions", versionId, "graph"],
    queryFn: ({ signal }) => getSubmissionGraph(client, versionId, signal),
  });
  const decision = useDecision(versionId);
  const [text, setText] = useState("");
  const [outcome, setOutcome] = useState<"approved" | "rejected" | null>(null);
  const submission = submissions.data?.find((item) => item.id === versionId) ?? null;

  const decide = (approve: boolean) =>
    decision.mutate({ approve, text }, { onSuccess: () => setOutcome(approve ? "approved" : "rejected") });

  return (
    <section className="page inbox" aria-labelledby="submission-title">
      <p>
        <Link to="/reviews/submissions">{t("submissions.back")}</Link>
      </p>
      <h1 id="submission-title">
        {submission
          ? t("submissions.linkName", { agent: submission.agent_name, version: submission.version })
          : t("submissions.title")}
      </h1>
      <ReviewTabs />
      {outcome ? (
        <p role="status" className="notice">
          {t(outcome === "approved" ? "submissions.approved" : "submissions.rejected")}
        </p>
      ) : null}
      <ProblemMessage error={asProblem(submissions.error)} context={t("submissions.loadFailed")} />
      {submissions.data && !submission && !outcome ? <p className="muted">{t("submissions.gone")}</p> : null}
      {submission ? (
        <>
          <h2>{t("submissions.changelog")}</h2>
          <p className="submission-changelog">{submission.changelog || t("submissions.noChangelog")}</p>
          <h2>{t("submissions.graph")}</h2>
          <ProblemMessage error={asProblem(graph.error)} context={t("submissions.graphFailed")} />
          {graph.data ? (
            <GraphPreview
              graph={graph.data}
              label={t("submissions.graphLabel", { agent: submission.agent_name, version: submission.version })}
            />
          ) : null}
          <SubmissionSandbox key={submission.id} submission={submission} />
          <SubmissionDiff submission={submission} graph={graph.data ?? null} />
          <ReplayCheckPanel area="reviews" versionId={submission.id} graph={graph.data ?? null} />
          <h2>{t("submissions.decision")}</h2>
          <label className="field">
            <span>{t("submissions.note")}</span>
            <textarea rows={3} value={text} maxLength={10_000} onChange={(event) => setText(event.target.value)} />
            <small className="muted">{t("submissions.noteHelp")}</small>
          </label>
          <ReplayProblemNote error={asProblem(decision.error)} context={t("submissions.decisionFailed")} />
          <p className="actions">
            <button
              type="button"
              className="button button--primary"
              disabled={decision.isPending}
              onClick={() => decide(true)}
            >
              {t("submissions.approve")}
            </button>{" "}
            <button
              type="button"
              className="button"
              disabled={decision.isPending || !text.trim()}
              title={text.trim() ? undefined : t("submissions.reasonNeeded")}
              onClick={() => decide(false)}
            >
              {t("submissions.reject")}
            </button>
          </p>
        </>
      ) : null}
    </section>
  );
}
