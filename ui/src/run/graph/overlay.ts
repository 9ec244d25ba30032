/**
 * The run laid over the agent's graph: each node's state (from its runs), each edge taken,
 * not taken or not decided yet, and how often (loops and fan-outs). Pure, so the states a
 * person sees are unit-tested without a DOM.
 */

import type { NodeRun, NodeRuns, RunStatus } from "../nodeRuns";
import type { RunPhase } from "../runView";
import type { AgentGraph, AgentGraphEdge, AgentGraphNode } from "./api";

/** Where the run as a whole is; `idle`: no run yet (the chat's graph alone). */
export type RunStage = "idle" | "running" | "paused" | "completed" | "failed" | "cancelled";

export type NodeState =
  "idle" | "running" | "completed" | "failed" | "retrying" | "waiting" | "paused" | "cancelled" | "skipped";

export const NODE_STATES: readonly NodeState[] = [
  "running",
  "retrying",
  "waiting",
  "paused",
  "completed",
  "failed",
  "cancelled",
  "skipped",
  "idle",
];

export type EdgeState = "idle" | "taken" | "not_taken";

export interface NodeView extends AgentGraphNode {
  state: NodeState;
  /** This node's runs (tasks), in the order first seen. */
  runs: readonly NodeRun[];
  /** The highest retry attempt among its runs. */
  attempt: number;
  /** The latest error among its runs. */
  error: string | null;
}

export interface EdgeView extends AgentGraphEdge {
  state: EdgeState;
  /** How often the edge was taken; for a dynamic fan-out, how many instances it started. */
  count: number;
}

export interface GraphView {
  stage: RunStage;
  nodes: NodeView[];
  edges: EdgeView[];
}

/** Whether the run has ended (nothing in it will change any more). */
export function isEnded(stage: RunStage): boolean {
  return stage === "completed" || stage === "failed" || stage === "cancelled";
}

const OPEN: readonly RunStatus[] = ["running", "retrying", "waiting"];
// Among a node's runs in its latest step (a fan-out), the one that says most about it.
const PRIORITY: readonly RunStatus[] = ["failed", "waiting", "retrying", "running", "cancelled", "completed"];

function latestStatus(runs: readonly NodeRun[]): RunStatus {
  const step = Math.max(...runs.map((r) => r.step));
  const statuses = new Set(runs.filter((r) => r.step === step).map((r) => r.status));
  return PRIORITY.find((s) => statuses.has(s)) ?? "completed";
}

function planNodeState(runs: readonly NodeRun[], stage: RunStage): NodeState {
  if (runs.length === 0) return isEnded(stage) ? "skipped" : "idle";
  const status = latestStatus(runs);
  // A run that ended without closing this node (the stream stopped) stopped the node too.
  if (isEnded(stage) && OPEN.includes(status)) return "cancelled";
  if (stage === "paused" && (status === "running" || status === "retrying")) return "paused";
  return status;
}

function markerState(node: AgentGraphNode, graph: AgentGraph, anyRun: boolean, stage: RunStage): NodeState {
  if (node.id === graph.end) {
    if (stage === "completed") return "completed";
    return isEnded(stage) ? "skipped" : "idle";
  }
  if (stage === "idle" && !anyRun) return "idle";
  return anyRun || isEnded(stage) ? "completed" : "running";
}

/** Counts of runs by (node, step), and the steps reached. */
class StepIndex {
  private readonly counts = new Map<string, number>();
  readonly reached = new Set<number>();
  readonly firstStep: number;

  constructor(runs: readonly NodeRun[]) {
    for (const run of runs) {
      const key = `${run.step}\u0000${run.node}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      this.reached.add(run.step);
    }
    this.firstStep = runs.length ? Math.min(...runs.map((r) => r.step)) : 0;
  }

  count(node: string, step: number): number {
    return this.counts.get(`${step}\u0000${node}`) ?? 0;
  }
}

function edgeView(
  edge: AgentGraphEdge,
  graph: AgentGraph,
  index: StepIndex,
  doneSteps: (node: string) => number[],
  stage: RunStage,
): EdgeView {
  const done = doneSteps(edge.source);
  // Routing after step s is known once step s + 1 began, or the run ended.
  const decided = (s: number) => index.reached.has(s + 1) || isEnded(stage);
  let taken: number[];
  let count: number;
  if (edge.target === graph.end) {
    // The end has no runs: a plain edge to it is taken whenever its source completes; one
    // branch of a conditional when, once decided, none of its sibling targets ran next.
    const siblings = graph.edges.filter((e) => e.group === edge.group && e.target !== graph.end);
    taken =
      edge.kind === "normal"
        ? done
        : done.filter((s) => decided(s) && !siblings.some((e) => index.count(e.target, s + 1) > 0));
    count = taken.length;
  } else {
    taken = done.filter((s) => index.count(edge.target, s + 1) > 0);
    const dynamic = edge.fan_out?.dynamic ?? false;
    count = dynamic ? taken.reduce((sum, s) => sum + index.count(edge.target, s + 1), 0) : taken.length;
  }
  let state: EdgeState = "idle";
  if (taken.length > 0) state = "taken";
  else if (isEnded(stage) || done.some(decided)) state = "not_taken";
  return { ...edge, state, count };
}

/** The agent's graph with the run's state laid over it. */
export function overlayRun(graph: AgentGraph, trace: NodeRuns, stage: RunStage): GraphView {
  const runs = trace.nodes;
  const byNode = new Map<string, NodeRun[]>();
  for (const run of runs) {
    const list = byNode.get(run.node);
    if (list) list.push(run);
    else byNode.set(run.node, [run]);
  }
  const index = new StepIndex(runs);
  const doneSteps = (node: string): number[] => {
    if (node === graph.start) return runs.length ? [index.firstStep - 1] : [];
    const steps = (byNode.get(node) ?? []).filter((r) => r.status === "completed").map((r) => r.step);
    return [...new Set(steps)];
  };
  const nodes = graph.nodes.map((node): NodeView => {
    const own = node.role === "node" ? (byNode.get(node.id) ?? []) : [];
    const state = node.role === "node" ? planNodeState(own, stage) : markerState(node, graph, runs.length > 0, stage);
    const failed = own.filter((r) => r.error);
    return {
      ...node,
      state,
      runs: own,
      attempt: own.reduce((max, r) => Math.max(max, r.attempt), 0),
      error: failed.length ? failed[failed.length - 1]!.error : null,
    };
  });
  const edges = graph.edges.map((edge) => edgeView(edge, graph, index, doneSteps, stage));
  return { stage, nodes, edges };
}

/** How many of the agent's own nodes (not start and end) are done, and how many failed. */
export function progressOf(view: GraphView): { done: number; total: number; failed: number } {
  const own = view.nodes.filter((n) => n.role === "node");
  return {
    done: own.filter((n) => n.state === "completed").length,
    total: own.length,
    failed: own.filter((n) => n.state === "failed").length,
  };
}

/** The stage of a recorded run from its status. */
export function stageOfStatus(status: string): RunStage {
  switch (status) {
    case "completed":
    case "failed":
    case "cancelled":
    case "paused":
      return status;
    default:
      return "running"; // pending, running, interrupted (waiting for a person)
  }
}

/** The stage of a live run from its folded phase. */
export function stageOfPhase(phase: RunPhase): RunStage {
  if (phase === "paused" || phase === "completed" || phase === "failed" || phase === "cancelled") return phase;
  return "running"; // starting, streaming, waiting for a person
}
