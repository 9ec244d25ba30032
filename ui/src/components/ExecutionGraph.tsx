/** The live execution graph: one box per node run, in step columns, coloured by state. */

import { useLayoutEffect, useRef } from "react";
import { graphColumns, statusCounts, type GraphNode, type NodeStatus } from "../run/graph";
import type { RunPhase } from "../run/runView";
import type { LiveRun } from "../store/chatState";

const STATUS_LABEL: Record<NodeStatus, string> = {
  running: "running",
  completed: "completed",
  failed: "failed",
  retrying: "retrying",
  waiting: "waiting for a person",
};

const PHASE_LABEL: Record<RunPhase, string> = {
  starting: "Starting",
  streaming: "Running",
  paused: "Paused",
  completed: "Completed",
  failed: "Failed",
};

function summary(run: LiveRun): string {
  const counts = statusCounts(run.view.graph);
  if (run.problem) return run.executionId ? "Lost the connection to the run" : "Not started";
  const parts = [PHASE_LABEL[run.view.phase]];
  if (run.reconnecting) parts.push("reconnecting");
  const total = run.view.graph.nodes.length;
  if (total > 0) parts.push(`${counts.completed}/${total} nodes done`);
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  return parts.join(" · ");
}

export function ExecutionGraph({ id, run }: { id: string; run: LiveRun | null }) {
  const columns = run ? graphColumns(run.view.graph) : [];
  const columnsRef = useRef<HTMLOListElement>(null);
  // Keep the newest step in view as the run advances.
  useLayoutEffect(() => {
    const list = columnsRef.current;
    if (list) list.scrollLeft = list.scrollWidth;
  }, [columns.length]);
  return (
    <aside id={id} className="graph-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="graph-title">
        Execution
      </h2>
      <p className="graph-summary" role="status">
        {run ? summary(run) : "The graph of a run appears here while it runs."}
      </p>
      {run && columns.length === 0 && run.active ? <p className="muted">Waiting for the first node…</p> : null}
      {columns.length > 0 ? (
        <ol ref={columnsRef} className="graph-columns">
          {columns.map((column) => (
            <li key={column.step} className="graph-column">
              <h3 className="graph-step">Step {column.step}</h3>
              <ul className="graph-nodes">
                {column.nodes.map((node) => (
                  <NodeBox key={node.id} node={node} />
                ))}
              </ul>
            </li>
          ))}
        </ol>
      ) : null}
      {columns.length > 0 ? <Legend /> : null}
    </aside>
  );
}

function NodeBox({ node }: { node: GraphNode }) {
  return (
    <li className={`graph-node graph-node--${node.status}`} title={node.error ?? undefined}>
      <span className="graph-node-name">{node.node}</span>
      <span className="graph-node-status">
        <span className="graph-node-icon" aria-hidden="true" />
        {STATUS_LABEL[node.status]}
        {node.attempt > 0 ? ` · attempt ${node.attempt}` : ""}
      </span>
      {node.error ? <span className="graph-node-error">{node.error}</span> : null}
    </li>
  );
}

function Legend() {
  return (
    <ul className="graph-legend" aria-label="Legend">
      {(Object.keys(STATUS_LABEL) as NodeStatus[]).map((status) => (
        <li key={status} className={`graph-legend-item legend--${status}`}>
          <span className="graph-node-icon" aria-hidden="true" />
          {STATUS_LABEL[status]}
        </li>
      ))}
    </ul>
  );
}
