/**
 * The definition as React Flow nodes and edges (plain data, tested without a DOM). The canvas
 * only ever draws this: a drag in progress is the one thing not yet in the definition, and it
 * comes in as `dragging` positions until the drag ends and is saved as an edit.
 */

import type { EdgeChange, Edge as FlowEdge, NodeChange, Node as FlowNode } from "@xyflow/react";
import { NODE_SIZES } from "../../../run/graph/layout";
import type { AgentGraphEdge } from "../../../run/graph/api";
import type { EdgeState, NodeState } from "../../../run/graph/overlay";
import { END, START, type NodeSpec, type WorkflowDefinition } from "./definition";
import type { Point, Selection } from "./edits";
import { drawnEdges } from "./graph";
import type { PlacedProblem } from "./problems";
import { runStateClass, type RunMarks } from "./sandbox/runMarks";

/** `runState`: the node's state in the sandbox's run while the sandbox is open, else null (editing colours). */
export type BuilderNodeData =
  | {
      role: "node";
      spec: NodeSpec;
      typeLabel: string;
      problems: string[];
      readOnly: boolean;
      runState: NodeState | null;
    }
  | { role: "start" | "end"; label: string; readOnly: boolean; runState: NodeState | null };
export type BuilderEdgeData = { drawn: AgentGraphEdge; problems: string[]; first: boolean };
export type BuilderFlowNode = FlowNode<BuilderNodeData, "builderNode" | "builderTerminal">;
export type BuilderFlowEdge = FlowEdge<BuilderEdgeData, "builderEdge">;

/** Words the canvas needs, in the person's language (written by the caller). */
export interface FlowTexts {
  typeLabel: (type: string) => string;
  terminal: (role: "start" | "end") => string;
  nodeAria: (spec: NodeSpec, problems: number) => string;
  edgeAria: (edge: AgentGraphEdge, problems: number) => string;
  /** A node's accessible name with its state in the sandbox's run. */
  withRunState?: (label: string, state: NodeState) => string;
}

export interface FlowInput {
  definition: WorkflowDefinition;
  selection: Selection;
  problems: readonly PlacedProblem[];
  terminals: { start: Point; end: Point };
  /** Positions of nodes being dragged (not saved until the drag ends). */
  dragging: ReadonlyMap<string, Point>;
  readOnly: boolean;
  texts: FlowTexts;
  /** The sandbox's run, painted over the graph while the sandbox is open. */
  run?: RunMarks | null;
}

/** The definition edge a drawn edge belongs to (its id starts with the edge's index). */
export function edgeIndexOf(drawnId: string): number {
  return Number.parseInt(drawnId, 10);
}

function messagesByPlace(problems: readonly PlacedProblem[]) {
  const nodes = new Map<string, string[]>();
  const edges = new Map<number, string[]>();
  for (const problem of problems) {
    if (problem.place.kind === "node") {
      const list = nodes.get(problem.place.name) ?? [];
      nodes.set(problem.place.name, [...list, problem.message]);
    } else if (problem.place.kind === "edge") {
      const list = edges.get(problem.place.index) ?? [];
      edges.set(problem.place.index, [...list, problem.message]);
    }
  }
  return { nodes, edges };
}

export function toFlowNodes(input: FlowInput) {
  const { definition, selection, problems, terminals, dragging, readOnly, texts } = input;
  const byNode = messagesByPlace(problems).nodes;
  const selected = new Set(selection.nodes);
  const runState = (id: string): NodeState | null => input.run?.nodes.get(id) ?? null;
  const aria = (label: string, state: NodeState | null) =>
    state && texts.withRunState ? texts.withRunState(label, state) : label;
  const terminal = (role: "start" | "end"): BuilderFlowNode => {
    const id = role === "start" ? START : END;
    const state = runState(id);
    return {
      id,
      type: "builderTerminal",
      position: terminals[role],
      data: { role, label: texts.terminal(role), readOnly, runState: state },
      width: NODE_SIZES[role].width,
      height: NODE_SIZES[role].height,
      draggable: false,
      deletable: false,
      selectable: false,
      connectable: !readOnly,
      ariaLabel: aria(texts.terminal(role), state),
    };
  };
  const nodes = definition.nodes.map((spec): BuilderFlowNode => {
    const messages = byNode.get(spec.name) ?? [];
    const state = runState(spec.name);
    return {
      id: spec.name,
      type: "builderNode",
      position: dragging.get(spec.name) ?? spec.position ?? { x: 0, y: 0 },
      data: {
        role: "node",
        spec,
        typeLabel: texts.typeLabel(spec.type),
        problems: messages,
        readOnly,
        runState: state,
      },
      width: NODE_SIZES.node.width,
      height: NODE_SIZES.node.height,
      selected: selected.has(spec.name),
      draggable: !readOnly,
      connectable: !readOnly,
      deletable: false,
      ariaLabel: aria(texts.nodeAria(spec, messages.length), state),
      className: [
        "builder-flow-node",
        messages.length ? "builder-flow-node--problem" : "",
        state ? runStateClass(state) : "",
      ]
        .filter(Boolean)
        .join(" "),
    };
  });
  return [terminal("start"), ...nodes, terminal("end")];
}

// While the sandbox is open, an edge's arrow takes its run state's colour, as in the chat's graph.
const RUN_MARKER: Record<EdgeState, string> = {
  idle: "var(--run-edge)",
  taken: "var(--run-edge-taken)",
  not_taken: "var(--run-edge-dim)",
};

export function toFlowEdges({ definition, selection, problems, texts, run }: FlowInput): BuilderFlowEdge[] {
  const byEdge = messagesByPlace(problems).edges;
  return definition.edges.flatMap((edge, index) => {
    const messages = byEdge.get(index) ?? [];
    return drawnEdges(index, edge).map((drawn, i): BuilderFlowEdge => {
      const isSelected = selection.edge === index;
      const state = run?.edges.get(drawn.id) ?? null;
      let colour = messages.length ? "var(--danger)" : isSelected ? "var(--primary)" : "var(--run-edge)";
      if (state) colour = RUN_MARKER[state];
      return {
        id: drawn.id,
        source: drawn.source,
        target: drawn.target,
        type: "builderEdge",
        data: { drawn, problems: messages, first: i === 0 },
        selected: isSelected,
        deletable: false,
        markerEnd: {
          type: "arrowclosed",
          color: colour,
          width: 14,
          height: 14,
          markerUnits: "userSpaceOnUse",
        },
        ariaLabel: texts.edgeAria(drawn, messages.length),
        className: [
          "builder-edge",
          `builder-edge--${drawn.kind}`,
          messages.length ? "builder-edge--problem" : "",
          isSelected ? "builder-edge--selected" : "",
          state ? `builder-edge--run builder-edge--${state}` : "",
        ]
          .filter(Boolean)
          .join(" "),
      };
    });
  });
}

/** The centre of what a problem names on the canvas (a node, or the first branch of an edge). */
export function centreOf(nodes: readonly BuilderFlowNode[], id: string): Point | null {
  const node = nodes.find((n) => n.id === id);
  if (!node) return null;
  return { x: node.position.x + (node.width ?? 0) / 2, y: node.position.y + (node.height ?? 0) / 2 };
}

/** The selection after React Flow's select changes (a click, a box, Shift+click, Escape). */
export function selectionAfter(
  selection: Selection,
  nodeChanges: readonly NodeChange[],
  edgeChanges: readonly EdgeChange[],
): Selection {
  const nodes = new Set(selection.nodes);
  for (const change of nodeChanges) {
    if (change.type !== "select" || change.id === START || change.id === END) continue;
    if (change.selected) nodes.add(change.id);
    else nodes.delete(change.id);
  }
  let edge = selection.edge;
  for (const change of edgeChanges) {
    if (change.type === "select" && !change.selected && edge === edgeIndexOf(change.id)) edge = null;
  }
  // Picking one branch of an edge selects the edge, even when another branch of it is unselected in the same report.
  const picked = edgeChanges.find((c) => c.type === "select" && c.selected);
  if (picked?.type === "select") edge = edgeIndexOf(picked.id);
  const sameNodes = nodes.size === selection.nodes.length && selection.nodes.every((n) => nodes.has(n));
  if (sameNodes && edge === selection.edge) return selection;
  return { nodes: [...nodes], edge };
}
