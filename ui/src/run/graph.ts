/**
 * The execution graph of a run: one box per (step, node), laid out in step columns.
 * Built from the run's live events, or from the node executions recorded for a finished run.
 */

import type { NodeExecution } from "../api/executions";
import type { RunEvent } from "../sse/runEvents";

export type NodeStatus = "running" | "completed" | "failed" | "retrying" | "waiting" | "cancelled" | "skipped";

export const NODE_STATUSES: readonly NodeStatus[] = [
  "running",
  "completed",
  "failed",
  "retrying",
  "waiting",
  "cancelled",
  "skipped",
];

export interface GraphNode {
  /** `${step}:${node}` — a node can run again in a later step (loops). */
  id: string;
  node: string;
  step: number;
  status: NodeStatus;
  /** The latest retry attempt announced for this node run (0 when none). */
  attempt: number;
  error: string | null;
  taskId: string | null;
  /** Known only from the recorded run. */
  nodeType: string | null;
  durationMs: number | null;
  tokens: number | null;
}

export interface GraphState {
  /** Node runs in the order first seen. */
  nodes: readonly GraphNode[];
}

export interface GraphColumn {
  step: number;
  nodes: GraphNode[];
}

export const EMPTY_GRAPH: GraphState = { nodes: [] };

function nodeId(step: number, node: string): string {
  return `${step}:${node}`;
}

function blankNode(id: string, node: string, step: number): GraphNode {
  return {
    id,
    node,
    step,
    status: "running",
    attempt: 0,
    error: null,
    taskId: null,
    nodeType: null,
    durationMs: null,
    tokens: null,
  };
}

function upsert(state: GraphState, step: number, node: string, patch: Partial<GraphNode>): GraphState {
  const id = nodeId(step, node);
  const index = state.nodes.findIndex((n) => n.id === id);
  if (index === -1) return { nodes: [...state.nodes, { ...blankNode(id, node, step), ...patch }] };
  const nodes = state.nodes.slice();
  nodes[index] = { ...state.nodes[index]!, ...patch };
  return { nodes };
}

/** The latest run of `node`, if any. */
function latestRunOf(state: GraphState, node: string): GraphNode | null {
  let found: GraphNode | null = null;
  for (const n of state.nodes) if (n.node === node && (found === null || n.step >= found.step)) found = n;
  return found;
}

/** The step of the latest run of `node`, or of the latest step seen when the node is new. */
function latestStepOf(state: GraphState, node: string): number {
  const run = latestRunOf(state, node);
  if (run) return run.step;
  return state.nodes.reduce((max, n) => Math.max(max, n.step), 0);
}

/** Nodes still going when the run is stopped are cancelled. */
function cancelOpen(state: GraphState): GraphState {
  const open: NodeStatus[] = ["running", "retrying", "waiting"];
  if (!state.nodes.some((n) => open.includes(n.status))) return state;
  return { nodes: state.nodes.map((n) => (open.includes(n.status) ? { ...n, status: "cancelled" } : n)) };
}

/** Apply one run event to the graph. Events that are not about nodes leave it unchanged. */
export function graphReducer(state: GraphState, event: RunEvent): GraphState {
  switch (event.type) {
    case "node_started":
      return upsert(state, event.step, event.node, { status: "running", error: null, taskId: event.taskId });
    case "node_completed":
      return upsert(state, event.step, event.node, { status: "completed", error: null });
    case "node_failed":
      return upsert(state, event.step, event.node, { status: "failed", error: event.error });
    case "retrying":
      return upsert(state, latestStepOf(state, event.node), event.node, {
        status: "retrying",
        attempt: event.attempt,
      });
    case "waiting_for_human":
      return upsert(state, event.step ?? latestStepOf(state, event.node), event.node, { status: "waiting" });
    case "human_input_received": {
      const run = latestRunOf(state, event.node);
      return run && run.status === "waiting" ? upsert(state, run.step, run.node, { status: "running" }) : state;
    }
    case "cancelled":
      return cancelOpen(state);
    case "done":
      return event.status === "cancelled" ? cancelOpen(state) : state;
    default:
      return state;
  }
}

const RECORDED_STATUS: Record<string, NodeStatus> = {
  running: "running",
  completed: "completed",
  failed: "failed",
  waiting: "waiting",
  cancelled: "cancelled",
  skipped: "skipped",
};

/**
 * The graph of a recorded run. `finished` says the run has ended: a node still marked
 * running (its record was never closed) is then shown as cancelled.
 */
export function graphFromNodes(records: readonly NodeExecution[], finished: boolean): GraphState {
  const nodes: GraphNode[] = [];
  const seen = new Map<string, number>();
  const sorted = [...records].sort((a, b) => a.step - b.step);
  for (const record of sorted) {
    const base = nodeId(record.step, record.node_name);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    let status = RECORDED_STATUS[record.status] ?? "running";
    if (finished && (status === "running" || status === "waiting")) status = "cancelled";
    nodes.push({
      id: count === 0 ? base : `${base}#${count + 1}`,
      node: record.node_name,
      step: record.step,
      status,
      attempt: record.retry_count,
      error: record.error_message,
      taskId: record.task_id,
      nodeType: record.node_type,
      durationMs: record.duration_ms,
      tokens: record.tokens_consumed,
    });
  }
  return { nodes };
}

/** Columns of node runs by ascending step; within a column, in the order first seen. */
export function graphColumns(state: GraphState): GraphColumn[] {
  const byStep = new Map<number, GraphNode[]>();
  for (const node of state.nodes) {
    const column = byStep.get(node.step);
    if (column) column.push(node);
    else byStep.set(node.step, [node]);
  }
  return [...byStep.entries()].sort(([a], [b]) => a - b).map(([step, nodes]) => ({ step, nodes }));
}

/** How many node runs are in each status (for the panel's summary line). */
export function statusCounts(state: GraphState): Record<NodeStatus, number> {
  const counts = Object.fromEntries(NODE_STATUSES.map((s) => [s, 0])) as Record<NodeStatus, number>;
  for (const node of state.nodes) counts[node.status] += 1;
  return counts;
}

/** A duration for a node box: "850 ms", "2.4 s", "3 min 5 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}
