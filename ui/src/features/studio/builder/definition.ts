/**
 * The workflow definition as the builder edits it: the TypeScript shape of the graph IR
 * (`node_types/ir.py`). The API takes and returns definitions as plain JSON objects, so these
 * types are ours; keep them in step with the IR.
 */

import type { Schemas } from "../../../api/types";

/** A state channel: a simple JSON type name or a JSON Schema, and how updates merge. */
export interface StateKey {
  type?: string | Record<string, unknown>;
  reducer?: "replace" | "append" | "add_messages" | "merge";
  default?: unknown;
  description?: string | null;
}

/** Temporal-style retry policy; unset fields fall back to the node type's defaults. */
export interface RetryPolicySpec {
  max_attempts?: number | null;
  initial_interval_seconds?: number | null;
  backoff_coefficient?: number | null;
  maximum_interval_seconds?: number | null;
  non_retryable_error_types?: string[] | null;
}

/** Activity timeouts in seconds; unset fields fall back to the node type's defaults. */
export interface TimeoutSpec {
  start_to_close_seconds?: number | null;
  schedule_to_close_seconds?: number | null;
  heartbeat_seconds?: number | null;
}

/** One node: a name unique in the graph (`^[A-Za-z][A-Za-z0-9_-]*$`), its type and config. */
export interface NodeSpec {
  name: string;
  type: string;
  description?: string | null;
  config: Record<string, unknown>;
  retry?: RetryPolicySpec | null;
  timeouts?: TimeoutSpec | null;
  position?: { x: number; y: number } | null;
  reads?: string[] | null;
  writes?: string[] | null;
}

/** `source` always continues to `target`. */
export interface NormalEdge {
  type: "normal";
  source: string;
  target: string;
}

/** `condition` (expression language) is evaluated; its outcome picks a target, else `default`. */
export interface ConditionalEdge {
  type: "conditional";
  source: string;
  condition: string;
  mapping: Record<string, string>;
  default?: string | null;
}

/** Static (`targets`) or one instance of `target` per item of the list `over` (LangGraph Send). */
export interface FanoutEdge {
  type: "fanout";
  source: string;
  targets?: string[] | null;
  target?: string | null;
  over?: string | null;
  item_key?: string;
  include?: string[];
}

export type Edge = NormalEdge | ConditionalEdge | FanoutEdge;

/** The special node names edges use for the graph's entry and exit. */
export const START = "__start__";
export const END = "__end__";

/** A whole graph agent. */
export interface WorkflowDefinition {
  ir_version?: 1;
  name?: string | null;
  description?: string | null;
  state: Record<string, StateKey>;
  nodes: NodeSpec[];
  edges: Edge[];
  max_steps?: number;
  inputs?: string[] | null;
  output?: string | null;
}

/** One validation problem: a JSON pointer (relative to the element it is given to) and a message. */
export interface BuilderProblem {
  path: string;
  /** The text to show (in the reader's language when the problem's code has one). */
  message: string;
  /** The language of `message` ("en" when it is the server's own). */
  lang?: string;
  code?: string;
  params?: Record<string, unknown>;
}

/** A node type as the API lists it (`GET /api/v1/node-types`): the palette and the inspector read it. */
export type NodeTypePublic = Schemas["NodeTypePublic"];

/** Whether a name is the graph's entry or exit (drawn as fixed terminals, never a node of the definition). */
export function isTerminal(name: string): boolean {
  return name === START || name === END;
}

/**
 * Every node an edge can lead to, each once, in the IR's order (`edge_targets` in `ir.py`):
 * a conditional's mapping values sorted by outcome, then its default; a fan-out's targets.
 */
export function edgeTargets(edge: Edge): string[] {
  if (edge.type === "normal") return [edge.target];
  if (edge.type === "conditional") {
    const found = Object.keys(edge.mapping)
      .sort()
      .map((outcome) => edge.mapping[outcome]!);
    if (edge.default) found.push(edge.default);
    return [...new Set(found)];
  }
  if (edge.targets) return [...edge.targets];
  return edge.target ? [edge.target] : [];
}

/** What a new agent starts from: no nodes yet, and the conversation every chat agent keeps. */
export function emptyDefinition(): WorkflowDefinition {
  return {
    ir_version: 1,
    state: { messages: { type: "array", reducer: "add_messages" } },
    nodes: [],
    edges: [],
  };
}
