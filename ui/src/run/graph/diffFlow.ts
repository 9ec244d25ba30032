/**
 * The merged diff drawing as React Flow nodes and edges (plain data, tested without a DOM; the
 * components in `diffNodes.tsx` / `diffEdges.tsx` only paint it). Like `flow.ts`, for the diff.
 */

import type { Edge, Node } from "@xyflow/react";
import type { DiffDrawing, DiffEdgeView, DiffMark, DiffNodeView } from "./graphDiff";
import { toPlacedNodes } from "./flow";
import type { Layout } from "./layout";

export type DiffNodeData = { view: DiffNodeView };
export type DiffEdgeData = { view: DiffEdgeView };
export type DiffFlowNode = Node<DiffNodeData, "diffNode" | "diffTerminal">;
export type DiffFlowEdge = Edge<DiffEdgeData, "diffEdge">;

/** Accessible names, written by the caller in the person's language. */
export interface DiffFlowLabels {
  node: (node: DiffNodeView) => string;
  edge: (edge: DiffEdgeView) => string;
}

// Markers take a colour, not a class: one per mark, from the theme's variables.
const MARKER_COLOUR: Record<DiffMark, string> = {
  added: "var(--completed)",
  removed: "var(--failed)",
  changed: "var(--retrying)",
  same: "var(--run-edge)",
};

export function toDiffFlowNodes(
  drawing: DiffDrawing,
  layout: Layout,
  selectedId: string | null,
  labels: DiffFlowLabels,
): DiffFlowNode[] {
  return toPlacedNodes(drawing.nodes, layout, selectedId, {
    types: ["diffNode", "diffTerminal"],
    ariaLabel: (node) => labels.node(node),
    className: (node) => `diff-flow-node diff-flow-node--${node.mark}`,
  });
}

export function toDiffFlowEdges(drawing: DiffDrawing, labels: DiffFlowLabels): DiffFlowEdge[] {
  return drawing.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    type: "diffEdge",
    data: { view: edge },
    markerEnd: {
      type: "arrowclosed",
      color: MARKER_COLOUR[edge.mark],
      width: 14,
      height: 14,
      markerUnits: "userSpaceOnUse",
    },
    // Removed edges go below the others: where one was re-targeted, the new line stays on top.
    zIndex: edge.mark === "removed" ? 0 : 1,
    className: `run-edge run-edge--${edge.kind} diff-edge diff-edge--${edge.mark}`,
    ariaLabel: labels.edge(edge),
    focusable: false,
    selectable: false,
  }));
}
