/** The execution graph: one box per node run, in step columns, coloured by state — live or recorded. */

import { useLayoutEffect, useRef } from "react";
import type { ExecutionDetail } from "../api/executions";
import type { ApiError } from "../api/problem";
import {
  NODE_STATUSES,
  formatDuration,
  graphColumns,
  graphFromNodes,
  statusCounts,
  type GraphNode,
  type GraphState,
  type NodeStatus,
} from "./graph";
import type { RunPhase } from "./runView";
import type { LiveRun, ShownRun } from "../features/chat/chatState";
import { formatTimestamp } from "../text/time";
import { ProblemMessage } from "../components/ProblemMessage";

const STATUS_LABEL: Record<NodeStatus, string> = {
  running: "running",
  completed: "completed",
  failed: "failed",
  retrying: "retrying",
  waiting: "waiting for a person",
  cancelled: "cancelled",
  skipped: "skipped",
};

const PHASE_LABEL: Record<RunPhase, string> = {
  starting: "Starting",
  streaming: "Running",
  paused: "Paused",
  waiting: "Waiting for a reviewer",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Stopped",
};

const RUN_STATUS_LABEL: Record<string, string> = {
  pending: "Starting",
  running: "Running",
  paused: "Paused",
  interrupted: "Waiting for a reviewer",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Stopped",
};

function countsText(graph: GraphState): string[] {
  const counts = statusCounts(graph);
  const total = graph.nodes.length;
  const parts: string[] = [];
  if (total > 0) parts.push(`${counts.completed}/${total} nodes done`);
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  return parts;
}

function liveSummary(run: LiveRun): string {
  if (run.problem) return run.executionId ? "Lost the connection to the run" : "Not started";
  const parts = [PHASE_LABEL[run.view.phase]];
  if (run.reconnecting) parts.push("reconnecting");
  return [...parts, ...countsText(run.view.graph)].join(" · ");
}

function recordSummary(detail: ExecutionDetail, graph: GraphState): string {
  const parts = [RUN_STATUS_LABEL[detail.status] ?? detail.status, ...countsText(graph)];
  if (detail.tokens_consumed > 0) parts.push(`${detail.tokens_consumed} tokens`);
  const took = detail.completed_at ? Date.parse(detail.completed_at) - Date.parse(detail.started_at) : NaN;
  if (Number.isFinite(took)) parts.push(formatDuration(took));
  return parts.join(" · ");
}

interface Props {
  id: string;
  shown: ShownRun;
  /** Offered while an older run is shown. */
  onShowLatest?: () => void;
}

export function ExecutionGraph({ id, shown, onShowLatest }: Props) {
  let graph: GraphState | null = null;
  let summary = "The graph of a run appears here while it runs.";
  let recorded = false;
  let problem: ApiError | null = null;
  let loading = false;
  let started: string | null = null;
  if (shown.kind === "live") {
    graph = shown.run.view.graph;
    summary = liveSummary(shown.run);
    loading = shown.run.active && graph.nodes.length === 0;
  } else if (shown.kind === "record") {
    const detail = shown.record.data;
    problem = shown.record.error;
    if (detail) {
      graph = graphFromNodes(detail.nodes, !["pending", "running", "paused", "interrupted"].includes(detail.status));
      summary = recordSummary(detail, graph);
      recorded = true;
      started = detail.started_at;
    } else {
      summary = shown.record.status === "error" ? "Could not load this run." : "Loading the run…";
    }
  }
  const columns = graph ? graphColumns(graph) : [];
  const present = new Set(graph?.nodes.map((n) => n.status));
  const columnsRef = useRef<HTMLOListElement>(null);
  // Keep the newest step in view as the run advances.
  useLayoutEffect(() => {
    const list = columnsRef.current;
    if (list) list.scrollLeft = list.scrollWidth;
  }, [columns.length]);
  return (
    <aside id={id} className="graph-panel" aria-labelledby={`${id}-title`}>
      <div className="graph-head">
        <h2 id={`${id}-title`} className="graph-title">
          Execution
        </h2>
        {onShowLatest ? (
          <button type="button" className="button button--small button--ghost" onClick={onShowLatest}>
            Latest run
          </button>
        ) : null}
      </div>
      <p className="graph-summary" role="status">
        {summary}
      </p>
      {started ? (
        <p className="graph-when muted">
          Started <time dateTime={started}>{formatTimestamp(started)}</time>
        </p>
      ) : null}
      {shown.kind === "record" ? <ProblemMessage error={problem} context="Could not load the run" /> : null}
      {loading ? <p className="muted">Waiting for the first node…</p> : null}
      {columns.length > 0 ? (
        <ol ref={columnsRef} className="graph-columns">
          {columns.map((column) => (
            <li key={column.step} className="graph-column">
              <h3 className="graph-step">Step {column.step}</h3>
              <ul className="graph-nodes">
                {column.nodes.map((node) => (
                  <NodeBox key={node.id} node={node} recorded={recorded} />
                ))}
              </ul>
            </li>
          ))}
        </ol>
      ) : null}
      {columns.length > 0 ? <Legend statuses={NODE_STATUSES.filter((s) => present.has(s))} /> : null}
    </aside>
  );
}

function NodeBox({ node, recorded }: { node: GraphNode; recorded: boolean }) {
  const facts: string[] = [];
  if (node.nodeType) facts.push(node.nodeType);
  const took = formatDuration(node.durationMs);
  if (took) facts.push(took);
  if (node.tokens) facts.push(`${node.tokens} tokens`);
  const retries = recorded
    ? node.attempt > 0
      ? ` · ${node.attempt} ${node.attempt === 1 ? "retry" : "retries"}`
      : ""
    : node.attempt > 0
      ? ` · attempt ${node.attempt}`
      : "";
  return (
    <li className={`graph-node graph-node--${node.status}`} title={node.error ?? undefined}>
      <span className="graph-node-name">{node.node}</span>
      <span className="graph-node-status">
        <span className="graph-node-icon" aria-hidden="true" />
        {STATUS_LABEL[node.status]}
        {retries}
      </span>
      {facts.length > 0 ? <span className="graph-node-facts">{facts.join(" · ")}</span> : null}
      {node.error ? <span className="graph-node-error">{node.error}</span> : null}
    </li>
  );
}

function Legend({ statuses }: { statuses: NodeStatus[] }) {
  return (
    <ul className="graph-legend" aria-label="Legend">
      {statuses.map((status) => (
        <li key={status} className={`graph-legend-item legend--${status}`}>
          <span className="graph-node-icon" aria-hidden="true" />
          {STATUS_LABEL[status]}
        </li>
      ))}
    </ul>
  );
}
