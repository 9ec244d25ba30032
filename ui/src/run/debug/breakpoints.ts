/**
 * Breakpoints a developer sets before sending a message, and where a run paused at one stands
 * on the graph. Pure, so what is sent and what is painted are unit-tested without a DOM.
 */

import type { GraphView, NodeState } from "../graph/overlay";

/** Where the next run pauses: before these nodes run, after these finish (as the API takes them). */
export interface BreakpointSet {
  before: readonly string[];
  after: readonly string[];
}

export type BreakpointSide = keyof BreakpointSet;

export const NO_BREAKPOINTS: BreakpointSet = { before: [], after: [] };

/** Where a run is paused at a breakpoint (the `paused` event's and the debug view's `breakpoint`). */
export interface PausedAt {
  step: number;
  /** The nodes it stopped before (they have not run yet). */
  before: readonly string[];
  /** The nodes it stopped after (they have just finished). */
  after: readonly string[];
  /** The nodes the next superstep runs. */
  next: readonly string[];
}

/** `set` with `node` on `side` switched on or off. */
export function toggleBreakpoint(set: BreakpointSet, side: BreakpointSide, node: string, on: boolean): BreakpointSet {
  const rest = set[side].filter((name) => name !== node);
  return { ...set, [side]: on ? [...rest, node].sort() : rest };
}

/** How many breakpoints are set (a node with both sides counts twice). */
export function breakpointCount(set: BreakpointSet): number {
  return set.before.length + set.after.length;
}

/**
 * The breakpoints to send with a message, or undefined when none: only nodes the graph still
 * has (one removed on the canvas since would be refused as unknown), and no field at all when
 * nothing is set, so a plain message stays a plain request.
 */
export function breakpointsToSend(
  set: BreakpointSet,
  nodes: readonly string[],
): { before: string[]; after: string[] } | undefined {
  const known = new Set(nodes);
  const before = set.before.filter((name) => known.has(name));
  const after = set.after.filter((name) => known.has(name));
  return before.length || after.length ? { before, after } : undefined;
}

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** Read the server's `breakpoint` object (typed loosely in the API); null when absent or not one. */
export function readPausedAt(value: unknown): PausedAt | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const data = value as Record<string, unknown>;
  return {
    step: typeof data.step === "number" ? data.step : 0,
    before: names(data.before),
    after: names(data.after),
    next: names(data.next),
  };
}

/**
 * The graph's node states with the run's position marked: the nodes the next superstep runs
 * are `paused` (they wait for Step or Continue), even one that ran before (a loop comes back
 * to it). Every other node keeps its state; names the graph does not have are ignored.
 */
export function markPausedAt(
  states: ReadonlyMap<string, NodeState>,
  at: PausedAt | null,
): ReadonlyMap<string, NodeState> {
  if (!at || at.next.length === 0) return states;
  const marked = new Map(states);
  for (const node of at.next) {
    if (marked.has(node)) marked.set(node, "paused");
  }
  return marked;
}

/** The live graph's view with the run's position marked, as `markPausedAt` marks the builder's canvas. */
export function markGraphPausedAt(view: GraphView, at: PausedAt | null): GraphView {
  if (!at || at.next.length === 0) return view;
  const next = new Set(at.next);
  const nodes = view.nodes.map((node) =>
    node.role === "node" && next.has(node.id) ? { ...node, state: "paused" as const } : node,
  );
  return { ...view, nodes };
}
