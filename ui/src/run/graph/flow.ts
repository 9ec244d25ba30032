/**
 * The overlaid graph as React Flow nodes and edges (plain data: what the canvas draws is
 * decided here, tested without a DOM; the components in `nodes.tsx` / `edges.tsx` only paint it).
 */

import type { Edge, Node } from "@xyflow/react";
import { NODE_SIZES, type Layout } from "./layout";
import type { NodeRole } from "./api";
import type { EdgeView, GraphView, NodeView } from "./overlay";

export type RunNodeData = { view: NodeView };
export type RunEdgeData = { view: EdgeView };
export type RunFlowNode = Node<RunNodeData, "agentNode" | "terminalNode">;
export type RunFlowEdge = Edge<RunEdgeData, "runEdge">;

/** Accessible names, written by the caller in the person's language. */
export interface FlowLabels {
  node: (node: NodeView) => string;
  edge: (edge: EdgeView) => string;
}

// Markers take a colour, not a class: one per edge state, from the theme's variables.
const MARKER_COLOUR: Record<EdgeView["state"], string> = {
  idle: "var(--run-edge)",
  taken: "var(--run-edge-taken)",
  not_taken: "var(--run-edge-dim)",
};

/** What tells one canvas's nodes apart: their React Flow types, accessible name and class. */
export interface NodeLook<V, T extends string> {
  /** The type of an agent's node, then of a start or end marker. */
  types: readonly [node: T, marker: T];
  ariaLabel: (view: V) => string;
  className: (view: V) => string;
}

/**
 * Drawn nodes as read-only React Flow nodes placed by the layout: only an agent's node can be
 * selected, start and end markers cannot. Shared by the run graph and the version diff.
 */
export function toPlacedNodes<V extends { id: string; role: NodeRole }, T extends string>(
  views: readonly V[],
  layout: Layout,
  selectedId: string | null,
  look: NodeLook<V, T>,
): Node<{ view: V }, T>[] {
  return views.map((node) => {
    const size = NODE_SIZES[node.role];
    return {
      id: node.id,
      type: node.role === "node" ? look.types[0] : look.types[1],
      position: layout.get(node.id) ?? { x: 0, y: 0 },
      data: { view: node },
      width: size.width,
      height: size.height,
      selected: node.id === selectedId,
      draggable: false,
      connectable: false,
      selectable: node.role === "node",
      ariaLabel: look.ariaLabel(node),
      className: look.className(node),
    };
  });
}

export function toFlowNodes(
  view: GraphView,
  layout: Layout,
  selectedId: string | null,
  labels: FlowLabels,
): RunFlowNode[] {
  return toPlacedNodes(view.nodes, layout, selectedId, {
    types: ["agentNode", "terminalNode"],
    ariaLabel: (node) => labels.node(node),
    className: (node) => `run-flow-node run-flow-node--${node.state}`,
  });
}

export function toFlowEdges(view: GraphView, labels: FlowLabels): RunFlowEdge[] {
  return view.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    type: "runEdge",
    data: { view: edge },
    // Sized in pixels, not by stroke width: a fan-out's thick line keeps a normal arrow.
    markerEnd: {
      type: "arrowclosed",
      color: MARKER_COLOUR[edge.state],
      width: 14,
      height: 14,
      markerUnits: "userSpaceOnUse",
    },
    className: `run-edge run-edge--${edge.kind} run-edge--${edge.state}`,
    ariaLabel: labels.edge(edge),
    focusable: false,
    selectable: false,
  }));
}
