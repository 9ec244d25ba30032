/**
 * The path drawing as React Flow nodes and edges (plain data, tested without a DOM; the
 * components in `PathCanvas.tsx` only paint it), placed by the run graph's layout.
 */

import type { Edge, Node } from "@xyflow/react";
import type { AgentGraph, AgentGraphEdge, AgentGraphNode } from "../../run/graph/api";
import { toPlacedNodes } from "../../run/graph/flow";
import type { Layout } from "../../run/graph/layout";
import type { PathDrawing, PathMark } from "./pathMarks";

export interface PathNodeView extends AgentGraphNode {
  mark: PathMark;
}

export type PathFlowNode = Node<{ view: PathNodeView }, "pathNode" | "pathTerminal">;
export type PathFlowEdge = Edge<{ mark: PathMark; edge: AgentGraphEdge }, "pathEdge">;

// Markers take a colour, not a class: one per mark, from the theme's variables.
const MARKER_COLOUR: Record<PathMark, string> = {
  both: "var(--completed)",
  candidate: "var(--running)",
  recorded: "var(--retrying)",
  none: "var(--run-edge-dim)",
};

export function toPathFlowNodes(
  graph: AgentGraph,
  drawing: PathDrawing,
  layout: Layout,
  ariaLabel: (node: PathNodeView) => string,
): PathFlowNode[] {
  const views = graph.nodes.map((node): PathNodeView => ({ ...node, mark: drawing.nodes.get(node.id) ?? "none" }));
  return toPlacedNodes(views, layout, null, {
    types: ["pathNode", "pathTerminal"],
    ariaLabel,
    className: (node) => `replay-flow-node replay-flow-node--${node.mark}`,
  });
}

export function toPathFlowEdges(graph: AgentGraph, drawing: PathDrawing): PathFlowEdge[] {
  return graph.edges.map((edge) => {
    const mark = drawing.edges.get(edge.id) ?? "none";
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: "pathEdge",
      data: { mark, edge },
      markerEnd: {
        type: "arrowclosed",
        color: MARKER_COLOUR[mark],
        width: 14,
        height: 14,
        markerUnits: "userSpaceOnUse",
      },
      // The paths go on top of the edges no run took.
      zIndex: mark === "none" ? 0 : 1,
      className: `run-edge run-edge--${edge.kind} replay-edge replay-edge--${mark}`,
      focusable: false,
      selectable: false,
    };
  });
}
