/**
 * A template's nodes and edges in the shape the live graph draws (`AgentGraph`, as the `…/graph`
 * routes answer), so the gallery previews a template on the same canvas a run is watched on.
 * Mirrors the server's `graph_of_version`: start and end markers around the nodes, and one drawn
 * edge per target of a conditional or static fan-out edge, all sharing the definition edge's index.
 */

import type { AgentGraph, AgentGraphEdge, AgentGraphNode } from "../../run/graph/api";
import type { TemplateDetail } from "./api";

export const START = "__start__";
export const END = "__end__";

type Execution = AgentGraphNode["execution"];
type TemplateEdge = TemplateDetail["edges"][number];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const EXECUTIONS: readonly string[] = ["inline", "activity", "human"];

function asExecution(value: string | undefined): Execution {
  return value !== undefined && EXECUTIONS.includes(value) ? (value as Execution) : null;
}

function marker(id: string, role: "start" | "end"): AgentGraphNode {
  return { id, role, type: role, label: id, description: null, execution: null, position: null };
}

function position(config: unknown): AgentGraphNode["position"] {
  if (!isRecord(config) || typeof config.x !== "number" || typeof config.y !== "number") return null;
  return { x: config.x, y: config.y };
}

/** The node descriptions written in the template's definition, by node name. */
function descriptions(definition: Record<string, unknown>): Map<string, string> {
  const found = new Map<string, string>();
  const nodes = Array.isArray(definition.nodes) ? definition.nodes : [];
  for (const node of nodes) {
    if (isRecord(node) && typeof node.name === "string" && typeof node.description === "string") {
      found.set(node.name, node.description);
    }
  }
  return found;
}

function conditionalEdges(group: number, edge: TemplateEdge): AgentGraphEdge[] {
  const config = isRecord(edge.condition_mapping) ? edge.condition_mapping : {};
  const mapping = isRecord(config.mapping) ? (config.mapping as Record<string, unknown>) : {};
  const fallback = typeof config.default === "string" ? config.default : null;
  const outcomes = Object.keys(mapping).sort();
  // Targets in the server's order: by outcome, then the default; each once.
  const targets = [...new Set([...outcomes.map((o) => String(mapping[o])), ...(fallback ? [fallback] : [])])];
  return targets.map((target) => ({
    id: `${group}:${edge.from_node}->${target}`,
    group,
    source: edge.from_node,
    target,
    kind: "conditional",
    condition: edge.condition_function,
    outcomes: outcomes.filter((o) => mapping[o] === target),
    is_default: fallback === target,
    fan_out: null,
  }));
}

function fanOutEdges(group: number, edge: TemplateEdge): AgentGraphEdge[] {
  const condition = isRecord(edge.fanout_condition) ? edge.fanout_condition : null;
  const over = condition && typeof condition.over === "string" ? condition.over : null;
  const targets = edge.fanout_targets ?? [];
  const fanOut = {
    dynamic: over !== null,
    over,
    item_key: over !== null && typeof condition?.item_key === "string" ? condition.item_key : null,
    targets: targets.length,
  };
  return targets.map((target) => ({
    id: `${group}:${edge.from_node}->${target}`,
    group,
    source: edge.from_node,
    target,
    kind: "fan_out",
    condition: null,
    outcomes: [],
    is_default: false,
    fan_out: fanOut,
  }));
}

function drawn(group: number, edge: TemplateEdge): AgentGraphEdge[] {
  if (edge.edge_type === "conditional") return conditionalEdges(group, edge);
  if (edge.edge_type === "fanout") return fanOutEdges(group, edge);
  if (!edge.to_node) return [];
  return [
    {
      id: `${group}:${edge.from_node}->${edge.to_node}`,
      group,
      source: edge.from_node,
      target: edge.to_node,
      kind: "normal",
      condition: null,
      outcomes: [],
      is_default: false,
      fan_out: null,
    },
  ];
}

/**
 * The template drawn as an agent graph. `executions` (from the node type catalog) tells how each
 * node type runs; a type it does not name draws without that mark.
 */
export function templateGraph(
  template: TemplateDetail,
  executions: ReadonlyMap<string, string> = new Map(),
): AgentGraph {
  const notes = descriptions(template.template_definition);
  const nodes: AgentGraphNode[] = [
    marker(START, "start"),
    ...template.nodes.map((node): AgentGraphNode => ({
      id: node.node_name,
      role: "node",
      type: node.node_type,
      label: node.node_name,
      description: notes.get(node.node_name) ?? null,
      execution: asExecution(executions.get(node.node_type)),
      position: position(node.position_config),
    })),
    marker(END, "end"),
  ];
  const ordered = [...template.edges].sort((a, b) => a.execution_order - b.execution_order);
  return {
    // A template belongs to no agent yet: the preview needs no ids.
    agent_id: "",
    agent_version_id: "",
    version: template.version,
    plan_hash: "",
    name: template.display_name,
    start: START,
    end: END,
    nodes,
    edges: ordered.flatMap((edge, index) => drawn(edge.execution_order ?? index, edge)),
  };
}
