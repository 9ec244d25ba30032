/**
 * One of the developer's agents: its versions (status, changelog, the reviewer's note, when created) with "submit for
 * review" on a draft and "archive", and the graph of the version chosen (the current one first).
 */

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { When } from "../../components/When";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { useStudioAgent, useVersionAction, useVersionGraph, type VersionSummary } from "./api";
import { GraphPreview } from "../../run/graph/GraphPreview";
import { studioHref } from "./paths";
import { AgentStatsPanel } from "./stats/AgentStatsPanel";
import { CompareVersions } from "./diff/CompareVersions";
import { CHECKABLE_STATUSES } from "../replayCheck/api";
import { OpenReplayCheckButton } from "../replayCheck/OpenReplayCheckButton";
import { ReplayCheckPanel } from "../replayCheck/ReplayCheckPanel";
import { StatusBadge } from "./StatusBadge";
import "./studio.css";

/** Versions that may go to review: drafts, and rejected ones sent again. */
export const canSubmit = (version: Pick<VersionSummary, "status">) =>
  version.status === "draft" || version.status === "rejected";

/** Versions that may still be retired (the server refuses the only published one, and says so). */
export const canArchive = (version: Pick<VersionSummary, "status">) => version.status !== "archived";

/** The version shown first: the one users chat with, else the newest. */
export function shownVersion(versions: readonly VersionSummary[]): VersionSummary | null {
  return versions.find((v) => v.is_current) ?? versions[0] ?? null;
}

export function StudioAgentPage({ agentId }: { agentId: string }) {
  const { t } = useTranslation("studio");
  const agent = useStudioAgent(agentId);
  const submit = useVersionAction(agentId, "submit");
  const archive = useConfirmedMutation(useVersionAction(agentId, "archive"));
  const [chosenId, setChosenId] = useState<string | null>(null);
  const detail = agent.data;
  const versions = detail?.versions ?? [];
  const shown = versions.find((v) => v.id === chosenId) ?? shownVersion(versions);
  const graph = useVersionGraph(agentId, shown?.id ?? null);
  const archived = versions.find((v) => v.id === archive.target);

  return (
    <section className="page studio-agent-page" aria-labelledby="studio-agent-title">
      <p className="breadcrumb">
        <Link to={studioHref.agents()}>{t("agent.back")}</Link>
      </p>
      <ProblemMessage error={agent.error} context={t("agent.loadError")} onRetry={() => void agent.refetch()} />
      {agent.isPending ? <p role="status">{t("loading")}</p> : null}
      {detail ? (
        <>
          <h1 id="studio-agent-title">{detail.name}</h1>
          <p>
            <StatusBadge status={detail.status} />{" "}
            {detail.status === "published" ? (
              <Link to={`/store/${encodeURIComponent(detail.id)}`}>{t("agent.inStore")}</Link>
            ) : null}
          </p>
          {detail.description ? <p>{detail.description}</p> : null}

          <section aria-labelledby="versions-title">
            <h2 id="versions-title">{t("agent.versions")}</h2>
            {versions.length === 0 ? (
              <p className="muted">
                {t("agent.noVersions")} <Link to={studioHref.builder(agentId)}>{t("agent.buildFirst")}</Link>
              </p>
            ) : null}
            <CompareVersions agentId={agentId} versions={versions} />
            <ProblemMessage error={submit.error} context={t("agent.submitError")} />
            <ul className="version-list">
              {versions.map((version) => (
                <li key={version.id} className="version-item" aria-labelledby={`version-${version.id}`}>
                  <h3 id={`version-${version.id}`}>{t("agent.version", { version: version.version })}</h3>
                  <StatusBadge status={version.status} />
                  {version.is_current ? <span className="badge">{t("agent.current")}</span> : null}
                  <span className="muted">
                    {t("agent.created")} <When iso={version.created_at} none="—" />
                  </span>
                  <div className="version-actions">
                    {shown?.id === version.id ? null : (
                      <button
                        type="button"
                        className="button button--small button--ghost"
                        onClick={() => setChosenId(version.id)}
                      >
                        {t("agent.showGraph", { version: version.version })}
                      </button>
                    )}
                    <Link className="button button--small" to={studioHref.builder(agentId, { from: version.id })}>
                      {version.status === "draft" ? t("agent.openBuilder") : t("agent.viewBuilder")}
                    </Link>
                    {version.status === "draft" ? null : (
                      <Link
                        className="button button--small"
                        to={studioHref.builder(agentId, { from: version.id, copy: true })}
                      >
                        {t("agent.newFromThis")}
                      </Link>
                    )}
                    {canSubmit(version) ? (
                      <button
                        type="button"
                        className="button button--small button--primary"
                        disabled={submit.isPending}
                        onClick={() => submit.mutate(version.id)}
                      >
                        {submit.isPending && submit.variables === version.id
                          ? t("agent.submitting")
                          : t("agent.submit")}
                      </button>
                    ) : null}
                    {CHECKABLE_STATUSES.includes(version.status) ? (
                      <OpenReplayCheckButton version={version.version} onOpen={() => setChosenId(version.id)} />
                    ) : null}
                    {canArchive(version) ? (
                      <button type="button" className="button button--small" onClick={() => archive.ask(version.id)}>
                        {t("agent.archive")}
                      </button>
                    ) : null}
                  </div>
                  <p className="version-changelog">{version.changelog || t("agent.noChangelog")}</p>
                  {version.review_note ? (
                    <p className="version-changelog version-note">
                      <strong>
                        {version.status === "rejected" ? t("agent.rejectedBecause") : t("agent.reviewNote")}
                      </strong>{" "}
                      {version.review_note}
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>

          {shown ? (
            <section aria-labelledby="agent-graph-title">
              <h2 id="agent-graph-title">{t("agent.graph", { version: shown.version })}</h2>
              <ProblemMessage
                error={graph.error}
                context={t("agent.graphError")}
                onRetry={() => void graph.refetch()}
              />
              {graph.isPending ? <p className="muted">{t("loading")}</p> : null}
              {graph.data ? (
                <GraphPreview
                  graph={graph.data}
                  label={t("agent.canvas", { name: detail.name, version: shown.version })}
                />
              ) : null}
            </section>
          ) : null}
          {shown && CHECKABLE_STATUSES.includes(shown.status) ? (
            <ReplayCheckPanel
              key={shown.id}
              area="developer"
              versionId={shown.id}
              graph={graph.isPlaceholderData ? null : (graph.data ?? null)}
            />
          ) : null}
          <AgentStatsPanel agentId={agentId} />
          <ConfirmDialog title={t("agent.archiveTitle")} confirmLabel={t("agent.archive")} danger {...archive.dialog}>
            <p>{t("agent.archiveText", { version: archived?.version ?? "" })}</p>
          </ConfirmDialog>
        </>
      ) : null}
    </section>
  );
}
