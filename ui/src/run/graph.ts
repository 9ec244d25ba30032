/**
 * The live execution graph, built purely from the run's node events: one box per
 * (step, node), laid out in step columns.
 */

import type { RunEvent } from "../sse/runEvents";

export type NodeStatus = "running" | "completed" | "failed" | "retrying" | "waiting";

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

function upsert(state: GraphState, step: number, node: string, patch: Partial<GraphNode>): GraphState {
  const id = nodeId(step, node);
  const index = state.nodes.findIndex((n) => n.id === id);
  if (index === -1) {
    const created: GraphNode = {
      id,
      node,
      step,
      status: "running",
      attempt: 0,
      error: null,
      taskId: null,
      ...patch,
    };
    return { nodes: [...state.nodes, created] };
  }
  const nodes = state.nodes.slice();
  nodes[index] = { ...state.nodes[index]!, ...patch };
  return { nodes };
}

/** The step of the latest run of `node`, or of the latest step seen when the node is new. */
function latestStepOf(state: GraphState, node: string): number {
  let step: number | null = null;
  let maxStep = 0;
  for (const n of state.nodes) {
    maxStep = Math.max(maxStep, n.step);
    if (n.node === node && (step === null || n.step >= step)) step = n.step;
  }
  return step ?? maxStep;
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
    default:
      return state;
  }
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
  const counts: Record<NodeStatus, number> = { running: 0, completed: 0, failed: 0, retrying: 0, waiting: 0 };
  for (const node of state.nodes) counts[node.status] += 1;
  return counts;
}
