/**
 * Where each node of the agent's graph is drawn: positions stored in the definition win;
 * every other node is placed by dagre, top to bottom (the panel is taller than wide).
 */

import dagre from "@dagrejs/dagre";
import type { AgentGraph, NodeRole } from "./api";

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

/** The drawn size of a node; the node components use the same sizes. */
export const NODE_SIZES: Record<NodeRole, Size> = {
  node: { width: 150, height: 58 },
  start: { width: 88, height: 32 },
  end: { width: 88, height: 32 },
};

// Ranks leave room for an edge's label (a condition's outcome, a fan-out count); siblings
// stay close, so a three-way branch still reads in a narrow panel.
const RANK_GAP = 52;
const NODE_GAP = 24;

/** Top-left positions by node id (what React Flow takes). */
export type Layout = Map<string, Point>;

function dagreLayout(graph: AgentGraph): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "TB", ranksep: RANK_GAP, nodesep: NODE_GAP, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { ...NODE_SIZES[node.role] });
  for (const edge of graph.edges) g.setEdge(edge.source, edge.target, {}, edge.id);
  dagre.layout(g);
  const layout: Layout = new Map();
  for (const node of graph.nodes) {
    const placed = g.node(node.id) as { x: number; y: number } | undefined;
    const size = NODE_SIZES[node.role];
    // dagre gives centres; React Flow wants the top-left corner.
    layout.set(node.id, placed ? { x: placed.x - size.width / 2, y: placed.y - size.height / 2 } : { x: 0, y: 0 });
  }
  return layout;
}

/**
 * When the definition places its nodes but not the start and end markers (it cannot),
 * put the start above the nodes it leads to and the end below the nodes leading to it.
 */
function placeMarkers(graph: AgentGraph, layout: Layout): void {
  const own = graph.nodes.filter((n) => n.role === "node");
  const centre = (id: string) => (layout.get(id)?.x ?? 0) + NODE_SIZES.node.width / 2;
  const place = (marker: string, neighbours: string[], above: boolean) => {
    const near = neighbours.filter((id) => id !== graph.start && id !== graph.end);
    const ys = (near.length ? near : own.map((n) => n.id)).map((id) => layout.get(id)?.y ?? 0);
    const xs = near.length ? near.map(centre) : own.map((n) => centre(n.id));
    const x = xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1) - NODE_SIZES.start.width / 2;
    const y = above
      ? Math.min(...ys) - RANK_GAP - NODE_SIZES.start.height
      : Math.max(...ys) + NODE_SIZES.node.height + RANK_GAP;
    layout.set(marker, { x, y });
  };
  const targetsOfStart = graph.edges.filter((e) => e.source === graph.start).map((e) => e.target);
  const sourcesOfEnd = graph.edges.filter((e) => e.target === graph.end).map((e) => e.source);
  place(graph.start, targetsOfStart, true);
  place(graph.end, sourcesOfEnd, false);
}

/** A position for every node of the graph. */
export function layoutGraph(graph: AgentGraph): Layout {
  const layout = dagreLayout(graph);
  const stored = graph.nodes.filter((n) => n.position !== null);
  for (const node of stored) layout.set(node.id, { ...node.position! });
  const own = graph.nodes.filter((n) => n.role === "node");
  if (own.length > 0 && own.every((n) => n.position !== null)) placeMarkers(graph, layout);
  return layout;
}
