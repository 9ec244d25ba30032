/**
 * A sandbox run drawn on the builder's own canvas: the run's node runs laid over the graph of
 * the definition being edited, exactly as the chat's live graph lays them over the version's
 * graph (`run/graph/overlay.ts`), and each node's and edge's state picked out by name — the
 * builder's nodes are named as the plan's, and its drawn edges carry the same ids.
 */

import { overlayRun, stageOfPhase, type EdgeState, type NodeState } from "../../../../run/graph/overlay";
import type { NodeRuns } from "../../../../run/nodeRuns";
import type { RunPhase } from "../../../../run/runView";
import type { WorkflowDefinition } from "../definition";
import { graphOf } from "../graph";

/** What the canvas paints while the sandbox is open: a state per node (terminals too) and per drawn edge. */
export interface RunMarks {
  nodes: ReadonlyMap<string, NodeState>;
  edges: ReadonlyMap<string, EdgeState>;
}

/**
 * The marks of the sandbox's latest run (`phase` null: nothing sent yet, every node idle).
 * A node the run never met (added since the version was saved) stays idle, or skipped once
 * the run has ended, as in the chat's graph.
 */
export function runMarks(definition: WorkflowDefinition, runs: NodeRuns, phase: RunPhase | null): RunMarks {
  const stage = phase === null ? "idle" : stageOfPhase(phase);
  const view = overlayRun(graphOf(definition), runs, stage);
  return {
    nodes: new Map(view.nodes.map((node) => [node.id, node.state])),
    edges: new Map(view.edges.map((edge) => [edge.id, edge.state])),
  };
}

/** The class that gives a node the chat graph's colour and mark for its state (`styles/graph.css`). */
export function runStateClass(state: NodeState): string {
  return `builder-node--run run-node--${state}`;
}
