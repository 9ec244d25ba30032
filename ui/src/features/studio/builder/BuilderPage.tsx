/**
 * The builder's pages: `/studio/new` (an empty canvas; saving creates the agent and its first
 * version) and `/studio/agents/:agentId/builder?from=<version>` (that version's graph). A version
 * that is no longer a draft is opened read-only with "new version from this one", which opens an
 * editable copy (`&copy=1`); saving always creates a new version, numbered after the newest.
 */

import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router";
import { ProblemMessage } from "../../../components/ProblemMessage";
import { useNodeTypes, useStudioAgent, type Version } from "../api";
import { studioHref } from "../paths";
import { StatusBadge } from "../StatusBadge";
import "../studio.css";
import { useBuilderSource } from "./api";
import { Builder } from "./Builder";
import { emptyDefinition } from "./definition";
import { placeUnplaced } from "./graph";
import { FIRST_VERSION, nextVersion } from "./versioning";

/** What the page after a save is told: the version just saved, and whether to try it in the sandbox. */
interface SavedState {
  saved?: string;
  sandbox?: boolean;
}

function useAfterSave() {
  const navigate = useNavigate();
  return (agentId: string, version: Version, options?: { sandbox: boolean }) =>
    void navigate(studioHref.builder(agentId, { from: version.id }), {
      replace: true,
      state: { saved: version.version, sandbox: options?.sandbox ?? false } satisfies SavedState,
    });
}

function SavedNotice({ agentId }: { agentId: string }) {
  const { t } = useTranslation("builder");
  const saved = (useLocation().state as SavedState | null)?.saved;
  if (!saved) return null;
  return (
    <p className="builder-saved" role="status">
      {t("page.saved", { version: saved })} <Link to={studioHref.agent(agentId)}>{t("page.toAgent")}</Link>
    </p>
  );
}

function useNodeTypeList() {
  const { t } = useTranslation("builder");
  const nodeTypes = useNodeTypes();
  return {
    nodeTypes: nodeTypes.data ?? [],
    pending: nodeTypes.isPending,
    problem: (
      <ProblemMessage
        error={nodeTypes.error}
        context={t("page.nodeTypesError")}
        onRetry={() => void nodeTypes.refetch()}
      />
    ),
  };
}

/** `/studio/new`: a new agent from an empty canvas. */
export function NewAgentBuilderPage() {
  const { t } = useTranslation("builder");
  const types = useNodeTypeList();
  const initial = useMemo(emptyDefinition, []);
  const onSaved = useAfterSave();
  if (types.pending) return <Loading />;
  return (
    <div className="page builder-page">
      <p className="breadcrumb">
        <Link to={studioHref.agents()}>{t("page.back")}</Link>
      </p>
      <Builder
        initial={initial}
        nodeTypes={types.nodeTypes}
        nodeTypesProblem={types.problem}
        agentId={null}
        suggestedVersion={FIRST_VERSION}
        readOnly={false}
        title={t("page.newTitle")}
        intro={<p className="muted">{t("page.newIntro")}</p>}
        onSaved={onSaved}
      />
    </div>
  );
}

interface AgentProps {
  agentId: string;
  /** The version opened; null for an empty canvas. */
  versionId: string | null;
  /** Open an editable copy of a version that is no longer a draft. */
  copy: boolean;
}

/** `/studio/agents/:agentId/builder`: a version of an agent, or an empty canvas for its next version. */
export function AgentBuilderPage({ agentId, versionId, copy }: AgentProps) {
  const { t } = useTranslation("builder");
  const types = useNodeTypeList();
  const agent = useStudioAgent(agentId);
  const source = useBuilderSource(agentId, versionId);
  const onSaved = useAfterSave();
  const sandboxOpen = (useLocation().state as SavedState | null)?.sandbox ?? false;
  const initial = useMemo(
    () => (source.data ? placeUnplaced(source.data.definition) : emptyDefinition()),
    [source.data],
  );
  const back = (
    <p className="breadcrumb">
      <Link to={studioHref.agent(agentId)}>
        {agent.data ? t("page.backTo", { name: agent.data.name }) : t("page.back")}
      </Link>
    </p>
  );
  const error = agent.error ?? source.error;
  if (error) {
    return (
      <div className="page builder-page">
        {back}
        <ProblemMessage
          error={error}
          context={t("page.loadError")}
          onRetry={() => {
            void agent.refetch();
            if (versionId) void source.refetch();
          }}
        />
      </div>
    );
  }
  if (types.pending || !agent.data || (versionId !== null && !source.data)) return <Loading />;
  const version = source.data?.version ?? null;
  const readOnly = version !== null && version.status !== "draft" && !copy;
  const suggested = nextVersion((agent.data.versions ?? []).map((v) => v.version));
  let intro;
  if (!version) intro = <p className="muted">{t("page.firstIntro", { version: suggested })}</p>;
  else if (readOnly) {
    intro = (
      <p className="builder-readonly">
        <span>{t("page.readOnly", { version: version.version })}</span> <StatusBadge status={version.status} />{" "}
        <Link
          className="button button--small button--primary"
          to={studioHref.builder(agentId, { from: version.id, copy: true })}
        >
          {t("page.newFromThis")}
        </Link>
      </p>
    );
  } else {
    intro = (
      <p className="muted">
        {t(copy ? "page.copyIntro" : "page.draftIntro", { version: version.version, next: suggested })}{" "}
        <StatusBadge status={version.status} />
      </p>
    );
  }
  return (
    <div className="page builder-page">
      {back}
      <SavedNotice agentId={agentId} />
      <Builder
        key={`${versionId ?? ""}:${copy}`}
        initial={initial}
        nodeTypes={types.nodeTypes}
        nodeTypesProblem={types.problem}
        agentId={agentId}
        suggestedVersion={suggested}
        readOnly={readOnly}
        title={agent.data.name}
        intro={intro}
        saved={version ? { id: version.id, version: version.version, status: version.status } : null}
        sandboxOpen={sandboxOpen}
        onSaved={onSaved}
      />
    </div>
  );
}

function Loading() {
  const { t } = useTranslation("builder");
  return (
    <p className="muted page-loading" role="status">
      {t("page.loading")}
    </p>
  );
}
