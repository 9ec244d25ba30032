/**
 * The definition being edited drawn as an agent graph (`AgentGraph`, the shape the `…/graph`
 * routes answer), so the builder lays it out and draws it as runs of the saved version will.
 * Mirrors the server's `graph_of_version`: start and end around the nodes, one drawn edge per
 * target of a conditional or fan-out edge, all sharing the definition edge's index (`group`).
 */

import type { AgentGraph, AgentGraphEdge, AgentGraphNode } from "../../../run/graph/api";
import { layoutGraph } from "../../../run/graph/layout";
import { END, START, edgeTargets, type Edge, type NodeTypePublic, type WorkflowDefinition } from "./definition";
import { moveNodes, type Point } from "./edits";

type Execution = AgentGraphNode["execution"];
const EXECUTIONS: readonly string[] = ["inline", "activity", "human"];

function marker(id: string, role: "start" | "end"): AgentGraphNode {
  return { id, role, type: role, label: id, description: null, execution: null, position: null };
}

/** The drawn edges of the definition's edge number `group`, one per target. */
export function drawnEdges(group: number, edge: Edge): AgentGraphEdge[] {
  const base = { group, source: edge.source, condition: null, outcomes: [], is_default: false, fan_out: null };
  const id = (target: string) => `${group}:${edge.source}->${target}`;
  if (edge.type === "normal") return [{ ...base, id: id(edge.target), target: edge.target, kind: "normal" }];
  const targets = edgeTargets(edge);
  if (edge.type === "conditional") {
    return targets.map((target) => ({
      ...base,
      id: id(target),
      target,
      kind: "conditional",
      condition: edge.condition,
      outcomes: Object.keys(edge.mapping)
        .filter((outcome) => edge.mapping[outcome] === target)
        .sort(),
      is_default: edge.default === target,
    }));
  }
  const dynamic = edge.targets == null;
  const fanOut = {
    dynamic,
    over: dynamic ? (edge.over ?? null) : null,
    item_key: dynamic ? (edge.item_key ?? "item") : null,
    targets: targets.length,
  };
  return targets.map((target) => ({ ...base, id: id(target), target, kind: "fan_out", fan_out: fanOut }));
}

/** The whole definition as a graph; `types` tells how each node type runs. */
export function graphOf(definition: WorkflowDefinition, types: readonly NodeTypePublic[] = []): AgentGraph {
  const executions = new Map(types.map((t) => [t.type_name, t.execution]));
  const execution = (type: string): Execution => {
    const found = executions.get(type);
    return found && EXECUTIONS.includes(found) ? (found as Execution) : null;
  };
  return {
    agent_id: "",
    agent_version_id: "",
    version: "",
    plan_hash: "",
    name: definition.name ?? null,
    start: START,
    end: END,
    nodes: [
      marker(START, "start"),
      ...definition.nodes.map((node): AgentGraphNode => ({
        id: node.name,
        role: "node",
        type: node.type,
        label: node.name,
        description: node.description ?? null,
        execution: execution(node.type),
        position: node.position ?? null,
      })),
      marker(END, "end"),
    ],
    edges: definition.edges.flatMap((edge, group) => drawnEdges(group, edge)),
  };
}

/** Every node placed by dagre, the positions it had ignored (the "auto-layout" button). */
export function autoLayout(definition: WorkflowDefinition): WorkflowDefinition {
  const unplaced = { ...definition, nodes: definition.nodes.map((n) => ({ ...n, position: null })) };
  const layout = layoutGraph(graphOf(unplaced));
  return moveNodes(definition, new Map(definition.nodes.map((n) => [n.name, layout.get(n.name)!])));
}

/**
 * Positions for the nodes that have none (a template's graph, an imported file), placed by
 * dagre around the placed ones; a definition whose nodes all have one is returned as it is.
 */
export function placeUnplaced(definition: WorkflowDefinition): WorkflowDefinition {
  const unplaced = definition.nodes.filter((n) => !n.position);
  if (unplaced.length === 0) return definition;
  if (unplaced.length === definition.nodes.length) return autoLayout(definition);
  const layout = layoutGraph(graphOf(definition));
  return moveNodes(definition, new Map(unplaced.map((n) => [n.name, layout.get(n.name)!])));
}

/** Where the start and end terminals go: above the nodes the start leads to, below those leading to the end. */
export function terminalPositions(definition: WorkflowDefinition): { start: Point; end: Point } {
  // An empty canvas: the start above the end, with room between them for the first nodes.
  if (definition.nodes.length === 0) return { start: { x: 0, y: 0 }, end: { x: 0, y: 260 } };
  const layout = layoutGraph(graphOf(placeUnplaced(definition)));
  return { start: layout.get(START) ?? { x: 0, y: 0 }, end: layout.get(END) ?? { x: 0, y: 120 } };
}
