/**
 * `/studio/agents/:agentId/diff?from=<version>&to=<version>`: two versions of an agent compared —
 * both graphs on one canvas with what was added, removed or changed, and the list of changed
 * values. The pickers change the URL, so a comparison can be shared or reloaded.
 */

import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { ProblemMessage } from "../../../components/ProblemMessage";
import { GraphDiffView } from "../../../run/graph/GraphDiffView";
import { useStudioAgent, useVersionGraph } from "../api";
import { studioHref } from "../paths";
import { useVersionDiff } from "./api";
import { versionPair } from "./pair";
import { VersionPicker } from "./VersionPicker";
import "../studio.css";
import "./versionDiff.css";

export function VersionDiffPage({ agentId }: { agentId: string }) {
  const { t } = useTranslation("diff");
  const agent = useStudioAgent(agentId);
  const [search, setSearch] = useSearchParams();
  const versions = agent.data?.versions ?? [];
  const pair = versionPair(versions, search.get("from"), search.get("to"));
  const diff = useVersionDiff(agentId, pair?.from ?? null, pair?.to ?? null);
  const fromGraph = useVersionGraph(agentId, pair?.from ?? null);
  const toGraph = useVersionGraph(agentId, pair?.to ?? null);
  const fromVersion = versions.find((v) => v.id === pair?.from);
  const toVersion = versions.find((v) => v.id === pair?.to);
  // The graphs keep the previous pair's while the new one loads: draw only a matching set.
  const shown =
    diff.data && toGraph.data && fromGraph.data && !toGraph.isPlaceholderData && !fromGraph.isPlaceholderData
      ? { diff: diff.data, from: fromGraph.data, to: toGraph.data }
      : null;
  const error = agent.error ?? diff.error ?? toGraph.error ?? fromGraph.error;
  const name = agent.data?.name ?? "";

  return (
    <section className="page page--wide version-diff-page" aria-labelledby="version-diff-title">
      <p className="breadcrumb">
        <Link to={studioHref.agent(agentId)}>{name ? t("studio.backTo", { name }) : t("studio.back")}</Link>
      </p>
      <h1 id="version-diff-title">{name ? t("studio.title", { name }) : t("studio.titleBare")}</h1>
      <ProblemMessage
        error={error}
        context={t("studio.loadError")}
        onRetry={() => {
          void agent.refetch();
          if (pair) {
            void diff.refetch();
            void fromGraph.refetch();
            void toGraph.refetch();
          }
        }}
      />
      {agent.isPending ? <p role="status">{t("loading")}</p> : null}
      {agent.data && !pair ? <p className="muted">{t("studio.needTwo")}</p> : null}
      {pair ? (
        <>
          <VersionPicker
            versions={versions}
            value={pair}
            onChange={(next) => setSearch({ from: next.from, to: next.to }, { replace: true })}
          />
          {pair.from === pair.to ? <p className="notice">{t("studio.sameVersion")}</p> : null}
          <h2>{t("studio.changes", { from: fromVersion?.version ?? "", to: toVersion?.version ?? "" })}</h2>
          {shown ? (
            <GraphDiffView
              diff={shown.diff}
              from={shown.from}
              to={shown.to}
              label={t("studio.canvas", { name, from: fromVersion?.version ?? "", to: toVersion?.version ?? "" })}
            />
          ) : error ? null : (
            <p role="status" className="muted">
              {t("loading")}
            </p>
          )}
        </>
      ) : null}
    </section>
  );
}
