/**
 * Two versions of an agent's graph merged into one drawing: every node and edge of either version,
 * each marked added, removed, changed or unchanged from the server's diff. Pure, so what a person
 * sees highlighted is unit-tested without a DOM; `diffFlow.ts` turns it into React Flow elements.
 *
 * Nodes are matched by name, edges by source, target and kind (a conditional edge is one line per
 * target, as the run graph draws it). Without the older version's graph (a reviewer may not read
 * it), its removed nodes and edges are drawn from the diff's own lists.
 */

import type { Schemas } from "../../api/types";
import type { AgentGraph, AgentGraphEdge, AgentGraphNode, EdgeKind } from "./api";
import { NODE_SIZES } from "./layout";

export type VersionDiff = Schemas["VersionDiff"];
export type GraphDiff = Schemas["GraphDiff"];
/** One line of the diff's graph: a conditional edge's outcome, a fan-out's target, a plain edge. */
export type DrawnEdge = Schemas["DrawnEdge"];
export type JsonChange = Schemas["JsonChange"];
export type NodeChange = Schemas["NodeChange"];

/** How a node or an edge differs between the two versions. */
export type DiffMark = "added" | "removed" | "changed" | "same";

/** The marks a legend explains (unchanged elements are drawn as usual). */
export const DIFF_MARKS = ["added", "removed", "changed"] as const satisfies readonly DiffMark[];

export interface DiffNodeView extends AgentGraphNode {
  mark: DiffMark;
  /** How many values of the node's spec changed (0 unless `changed`). */
  changes: number;
}

export interface DiffEdgeView extends AgentGraphEdge {
  mark: DiffMark;
  /** A conditional edge's outcomes leading to this target now and not before ("" is the default). */
  outcomesAdded: string[];
  /** … and before but not now. */
  outcomesRemoved: string[];
}

/** The merged drawing: `graph` (both versions' nodes and edges) is what the layout places. */
export interface DiffDrawing {
  graph: AgentGraph;
  nodes: DiffNodeView[];
  edges: DiffEdgeView[];
}

/** The diff names a fan-out `fanout`; the run graph `fan_out`. */
export function edgeKindOf(kind: string): EdgeKind {
  if (kind === "fanout" || kind === "fan_out") return "fan_out";
  return kind === "conditional" ? "conditional" : "normal";
}

/** The identity of a drawn edge in both versions. */
export function edgeKey(edge: { source: string; target: string; kind: string }): string {
  return `${edgeKindOf(edge.kind)}:${edge.source}->${edge.target}`;
}

/** How many lines of the diff one run-graph edge stands for (one per outcome, one for a default). */
function lineCount(edge: AgentGraphEdge): number {
  return edge.kind === "conditional" ? Math.max(edge.outcomes.length + (edge.is_default ? 1 : 0), 1) : 1;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** A removed node known only by name (the older graph was not read). */
function nodeFromName(name: string): AgentGraphNode {
  return { id: name, role: "node", type: "", label: name, description: null, execution: null, position: null };
}

/** A removed edge known only by the diff's lines for it. */
function edgeFromLines(lines: readonly DrawnEdge[]): AgentGraphEdge {
  const first = lines[0]!;
  const kind = edgeKindOf(first.kind);
  const over = first.label.startsWith("each ") ? first.label.slice("each ".length) : null;
  return {
    id: `removed:${edgeKey(first)}`,
    group: -1,
    source: first.source,
    target: first.target,
    kind,
    condition: null,
    outcomes: kind === "conditional" ? lines.map((l) => l.label).filter(Boolean) : [],
    is_default: kind === "conditional" && lines.some((l) => l.label === ""),
    fan_out: kind === "fan_out" ? { dynamic: over !== null, over, item_key: null, targets: 1 } : null,
  };
}

/** The definition's edges (by index) whose own values changed, e.g. a condition rewritten. */
export function changedEdgeGroups(changes: readonly JsonChange[]): Set<number> {
  const groups = new Set<number>();
  for (const change of changes) {
    const match = /^\/compiled_definition\/edges\/(\d+)\//.exec(change.path);
    if (match) groups.add(Number(match[1]));
  }
  return groups;
}

function overlaps(a: AgentGraphNode, b: AgentGraphNode): boolean {
  const { width, height } = NODE_SIZES.node;
  return Math.abs(a.position!.x - b.position!.x) < width && Math.abs(a.position!.y - b.position!.y) < height;
}

/**
 * The stored positions are kept when every node has one and no two overlap (a removed node may
 * sit where a new one is now); otherwise the whole merged graph is laid out afresh.
 */
function withPositions<T extends AgentGraphNode>(nodes: T[]): T[] {
  const own = nodes.filter((n) => n.role === "node");
  const placed = own.every((n) => n.position !== null);
  const clear = !placed || own.some((a, i) => own.slice(i + 1).some((b) => overlaps(a, b)));
  return clear ? nodes.map((n) => ({ ...n, position: null })) : nodes;
}

/**
 * Merge version `from` (null when it is not known, or nothing was published) and version `to`
 * into one drawing, marked with the server's `diff` between them.
 */
export function mergeGraphs(from: AgentGraph | null, to: AgentGraph, diff: VersionDiff): DiffDrawing {
  const graphDiff = diff.graph;
  const changedNodes = new Map(graphDiff.nodes_changed.map((c) => [c.name, c.changes.length]));
  const addedLines = groupBy(graphDiff.edges_added, edgeKey);
  const removedLines = groupBy(graphDiff.edges_removed, edgeKey);

  // --- Nodes: the older version's names, from its graph or, failing that, from the diff.
  const toIds = new Set(to.nodes.map((n) => n.id));
  const added = new Set(graphDiff.nodes_added);
  const fromNodes: AgentGraphNode[] = from
    ? from.nodes
    : [
        ...to.nodes.filter((n) => n.role !== "node" || !added.has(n.id)),
        ...graphDiff.nodes_removed.filter((name) => !toIds.has(name)).map(nodeFromName),
      ];
  const fromIds = new Set(fromNodes.map((n) => n.id));
  const nodeMark = (node: AgentGraphNode, inTo: boolean): DiffMark => {
    if (node.role !== "node") return "same";
    if (!inTo) return "removed";
    if (!fromIds.has(node.id)) return "added";
    return changedNodes.has(node.id) ? "changed" : "same";
  };
  const nodes: DiffNodeView[] = withPositions([
    ...to.nodes.map((node) => ({ ...node, mark: nodeMark(node, true), changes: changedNodes.get(node.id) ?? 0 })),
    ...fromNodes
      .filter((node) => !toIds.has(node.id))
      .map((node) => ({ ...node, mark: nodeMark(node, false), changes: 0 })),
  ]);

  // --- Edges: by key; lines added or removed under a key both versions draw make it "changed".
  const toEdges = [...groupBy(to.edges, edgeKey).values()].map((list) => list[0]!);
  const toKeys = new Set(toEdges.map(edgeKey));
  let fromEdges: AgentGraphEdge[];
  if (from) fromEdges = [...groupBy(from.edges, edgeKey).values()].map((list) => list[0]!);
  else {
    // An edge drawn now existed before unless every one of its lines is new.
    const kept = toEdges.filter((edge) => lineCount(edge) > (addedLines.get(edgeKey(edge))?.length ?? 0));
    const gone = [...removedLines.entries()]
      .filter(([key]) => !toKeys.has(key))
      .map(([, lines]) => edgeFromLines(lines));
    fromEdges = [...kept, ...gone];
  }
  const fromKeys = new Set(fromEdges.map(edgeKey));
  const rewritten = changedEdgeGroups(diff.changes);
  const edgeView = (edge: AgentGraphEdge, inTo: boolean): DiffEdgeView => {
    const key = edgeKey(edge);
    const outcomesAdded = (addedLines.get(key) ?? []).map((l) => l.label);
    const outcomesRemoved = (removedLines.get(key) ?? []).map((l) => l.label);
    let mark: DiffMark;
    if (!inTo) mark = "removed";
    else if (!fromKeys.has(key)) mark = "added";
    else if (outcomesAdded.length || outcomesRemoved.length || rewritten.has(edge.group)) mark = "changed";
    else mark = "same";
    // Keys are unique in the drawing (a removed edge may share its group index with another).
    return { ...edge, id: key, mark, outcomesAdded, outcomesRemoved };
  };
  const edges: DiffEdgeView[] = [
    ...toEdges.map((edge) => edgeView(edge, true)),
    ...fromEdges.filter((edge) => !toKeys.has(edgeKey(edge))).map((edge) => edgeView(edge, false)),
  ];

  const graph: AgentGraph = { ...to, nodes, edges };
  return { graph, nodes, edges };
}

/** How many nodes and edges carry each mark (for the summary above the canvas). */
export function countMarks(drawing: DiffDrawing): Record<"nodes" | "edges", Record<DiffMark, number>> {
  const count = (marks: DiffMark[]) => {
    const counts: Record<DiffMark, number> = { added: 0, removed: 0, changed: 0, same: 0 };
    for (const mark of marks) counts[mark]++;
    return counts;
  };
  return {
    nodes: count(drawing.nodes.filter((n) => n.role === "node").map((n) => n.mark)),
    edges: count(drawing.edges.map((e) => e.mark)),
  };
}
