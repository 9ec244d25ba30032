/** Small agent graphs for the graph and diff tests: a node, an edge, start and end markers around them. */

import type { NodeTypePublic } from "../../src/features/studio/builder/definition";
import type { AgentGraph, AgentGraphEdge, AgentGraphNode } from "../../src/run/graph/api";

/** The start or end marker. */
export const marker = (id: string, role: "start" | "end"): AgentGraphNode => ({
  id,
  role,
  type: role,
  label: id,
  description: null,
  execution: null,
  position: null,
});

/** An agent's node run as an activity, labelled by its id. */
export const node = (id: string, type = "llm", position: { x: number; y: number } | null = null): AgentGraphNode => ({
  id,
  role: "node",
  type,
  label: id,
  description: null,
  execution: "activity",
  position,
});

/** A normal edge unless `extra` says otherwise. */
export const edge = (
  group: number,
  source: string,
  target: string,
  extra: Partial<AgentGraphEdge> = {},
): AgentGraphEdge => ({
  id: `${group}:${source}->${target}`,
  group,
  source,
  target,
  kind: "normal",
  condition: null,
  outcomes: [],
  is_default: false,
  fan_out: null,
  ...extra,
});

/** `nodes` between `__start__` and `__end__`; `fields` override the graph's other fields. */
export const graph = (
  nodes: AgentGraphNode[],
  edges: AgentGraphEdge[],
  fields: Partial<AgentGraph> = {},
): AgentGraph => ({
  agent_id: "a",
  agent_version_id: "v",
  version: "1",
  plan_hash: "h",
  name: "g",
  start: "__start__",
  end: "__end__",
  nodes: [marker("__start__", "start"), ...nodes, marker("__end__", "end")],
  edges,
  ...fields,
});

/** A node type as `/node-types` lists it, with an empty config schema. */
export const nodeType = (
  type_name: string,
  display_name: string,
  category: string,
  default_config: Record<string, unknown> = {},
): NodeTypePublic => ({
  id: `id-${type_name}`,
  type_name,
  display_name,
  description: `${display_name} does things`,
  category,
  tags: [],
  execution: "inline",
  config_schema: { type: "object", properties: {} },
  input_schema: { type: "object" },
  output_schema: { type: "object" },
  required_services: [],
  default_config,
});
