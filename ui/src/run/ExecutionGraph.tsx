/**
 * The execution graph panel: the agent version's own graph (start, nodes, end; plain,
 * conditional and fan-out edges) with the shown run laid over it, live from the event stream
 * or from a run's record. Resizable by its edge, full screen on demand; a selected node shows
 * what it did in this run.
 */

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { getExecution, type NodeExecution } from "../api/executions";
import { toApiError } from "../api/problem";
import { useServices } from "../app/context";
import { ProblemMessage } from "../components/ProblemMessage";
import { formatNumber, useLocale } from "../lib/format";
import { formatTimestamp } from "../text/time";
import { useAgentGraph } from "./graph/api";
import { formatDuration } from "./graph/format";
import { GraphCanvas } from "./graph/GraphCanvas";
import { NodeDetails } from "./graph/NodeDetails";
import { NODE_STATES, isEnded, overlayRun, progressOf, type GraphView, type NodeView } from "./graph/overlay";
import type { RerunResult } from "./graph/rerun";
import type { Translate } from "./graph/labels";
import { useGraphLayout } from "./graph/useGraphLayout";
import { usePanelSize } from "./graph/usePanelSize";
import { runOnGraph, type RunOnGraph, type ShownRunLike } from "./shownRun";
import { markGraphPausedAt } from "./debug/breakpoints";
import { usePausedAt } from "./debug/usePausedAt";

interface Props {
  id: string;
  shown: ShownRunLike;
  /** The chat whose graph is drawn before its first run (null for a chat not created yet). */
  chatId: string | null;
  /** Offered while an older run is shown. */
  onShowLatest?: () => void;
  /** Follow a run started by "run again from here"; without it the action is not offered. */
  onRerun?: (result: RerunResult) => void;
}

const MESSAGE_HEADLINES = new Set(["lostConnection", "notStarted", "loadingRun", "runError"]);

function summaryOf(t: Translate, locale: string, run: RunOnGraph, view: GraphView | null): string {
  const { headline } = run;
  const parts = [MESSAGE_HEADLINES.has(headline) ? t(headline) : t(`phase.${headline}`)];
  if (run.reconnecting) parts.push(t("reconnecting"));
  if (view && run.stage !== "idle") {
    const { done, total, failed } = progressOf(view);
    parts.push(t("progress", { done, total }));
    if (failed > 0) parts.push(t("failedCount", { count: failed }));
  }
  const detail = run.detail;
  if (detail && detail.tokens_consumed > 0) {
    const count = detail.tokens_consumed;
    parts.push(t("tokens", { count, formatted: formatNumber(count, locale) }));
  }
  const took = detail?.completed_at ? Date.parse(detail.completed_at) - Date.parse(detail.started_at) : NaN;
  if (Number.isFinite(took)) parts.push(formatDuration(took, locale));
  return parts.join(" · ");
}

/** The node records of a live run, read again whenever the selected node's runs change. */
function useLiveRecords(run: RunOnGraph, selected: NodeView | null) {
  const { client } = useServices();
  const executionId = run.executionId;
  const signature = selected ? selected.runs.map((r) => `${r.id}=${r.status}`).join(",") : "";
  return useQuery({
    queryKey: ["execution", executionId, "node-records", signature],
    queryFn: ({ signal }) => getExecution(client, executionId!, signal),
    enabled: run.live && executionId !== null && selected !== null && selected.runs.length > 0,
    placeholderData: keepPreviousData,
  });
}

export function ExecutionGraph({ id, shown, chatId, onShowLatest, onRerun }: Props) {
  const { t } = useTranslation("run");
  const locale = useLocale();
  const [full, setFull] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const { layout: panelLayout, size, handleProps } = usePanelSize();
  const fullButton = useRef<HTMLButtonElement>(null);

  const run = runOnGraph(shown);
  const graphQuery = useAgentGraph({ executionId: run.executionId, chatId });
  const graph = graphQuery.data;
  const layout = useGraphLayout(graph);
  const { runs, stage } = run;
  // A live run paused at a breakpoint: the nodes it runs next are marked paused.
  const pausedAt = usePausedAt(
    run.executionId,
    shown.kind === "live" && shown.run.active ? shown.run.view.phase : null,
  );
  const view = useMemo(
    () => (graph ? markGraphPausedAt(overlayRun(graph, runs, stage), pausedAt) : null),
    [graph, runs, stage, pausedAt],
  );
  const selected = view?.nodes.find((n) => n.id === selectedId) ?? null;
  const liveRecords = useLiveRecords(run, selected);
  const records: readonly NodeExecution[] | null = run.detail?.nodes ?? liveRecords.data?.nodes ?? null;
  // A run is run again once it has ended, and its stream (if followed) has closed.
  const ended = isEnded(stage) && !(shown.kind === "live" && shown.run.active);
  const rerun =
    onRerun && ended && run.executionId !== null ? { executionId: run.executionId, onStarted: onRerun } : null;

  // Leave full screen with Escape; the button that entered it keeps the focus.
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === "Escape" && full) {
      event.stopPropagation();
      setFull(false);
      fullButton.current?.focus({ preventScroll: true });
    }
  };

  const sizeStyle = full ? undefined : panelLayout === "side" ? { width: size } : { height: size };
  const started = run.detail?.started_at ?? null;
  const agentName = graph?.name ?? t("agent");
  return (
    <aside
      id={id}
      className={`graph-panel graph-panel--${panelLayout}${full ? " graph-panel--full" : ""}`}
      style={sizeStyle}
      aria-labelledby={`${id}-title`}
      data-stage={stage}
      onKeyDown={onKeyDown}
    >
      {full ? null : <div className="graph-resize" aria-label={t("resize")} {...handleProps} />}
      <div className="graph-head">
        <h2 id={`${id}-title`} className="graph-title">
          {t("title")}
          {graph ? <span className="graph-version muted">{t("version", { version: graph.version })}</span> : null}
        </h2>
        <div className="graph-actions">
          {onShowLatest ? (
            <button type="button" className="button button--small button--ghost" onClick={onShowLatest}>
              {t("latestRun")}
            </button>
          ) : null}
          <button
            ref={fullButton}
            type="button"
            className="button button--small button--ghost"
            onClick={() => setFull((f) => !f)}
          >
            {full ? t("exitFullScreen") : t("fullScreen")}
          </button>
        </div>
      </div>
      <p className="graph-summary" role="status">
        {summaryOf(t, locale, run, view)}
      </p>
      {started ? (
        <p className="graph-when muted">
          {t("started")} <time dateTime={started}>{formatTimestamp(started, locale)}</time>
        </p>
      ) : null}
      {shown.kind === "record" ? <ProblemMessage error={shown.record.error} context={t("runError")} /> : null}
      <ProblemMessage error={graphQuery.error && toApiError(graphQuery.error)} context={t("graphError")} />
      {!graph && graphQuery.isFetching ? <p className="muted">{t("loadingGraph")}</p> : null}
      {!graph && !graphQuery.isFetching && !graphQuery.error ? <p className="muted">{t("empty")}</p> : null}
      {view ? (
        <div className="graph-body">
          <div className="graph-stage">
            <GraphCanvas
              view={view}
              layout={layout}
              selectedId={selected?.id ?? null}
              onSelect={setSelectedId}
              label={t("canvas", { name: agentName })}
            />
            <Legend view={view} />
          </div>
          {selected ? (
            <NodeDetails
              id={`${id}-node`}
              node={selected}
              records={records}
              loading={liveRecords.isFetching && !liveRecords.data}
              error={liveRecords.error && toApiError(liveRecords.error)}
              hasRun={stage !== "idle"}
              rerun={rerun}
              onClose={() => setSelectedId(null)}
            />
          ) : (
            <p className="graph-hint muted">{t("hint")}</p>
          )}
        </div>
      ) : null}
    </aside>
  );
}

/** The states present on the graph, each with its mark. */
function Legend({ view }: { view: GraphView }) {
  const { t } = useTranslation("run");
  const present = new Set(view.nodes.filter((n) => n.role === "node").map((n) => n.state));
  const states = NODE_STATES.filter((s) => present.has(s));
  return (
    <ul className="graph-legend" aria-label={t("legend")}>
      {states.map((state) => (
        <li key={state} className={`graph-legend-item run-state--${state}`}>
          <span className="run-node-icon" aria-hidden="true" />
          {t(`state.${state}`)}
        </li>
      ))}
    </ul>
  );
}
