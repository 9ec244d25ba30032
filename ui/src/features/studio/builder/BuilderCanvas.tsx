/**
 * The editable canvas (React Flow): nodes dragged and connected, node types dropped from the
 * palette, nodes and edges selected. It holds no graph of its own: everything it draws comes
 * from the definition (`flow.ts`), and every change goes back out as an edit — a drag once,
 * when it ends (one undo step), with the positions in between kept here meanwhile.
 */

import {
  Background,
  Controls,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { useCallback, useMemo, useState, type DragEvent, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { useResolvedTheme } from "../../../lib/theme";
import { NODE_SIZES } from "../../../run/graph/layout";
import { builderEdgeTypes, edgeLabelText, SelectEdgeContext } from "./canvasEdges";
import { builderNodeTypes } from "./canvasNodes";
import { END, START, type WorkflowDefinition } from "./definition";
import type { Point, Selection } from "./edits";
import {
  selectionAfter,
  toFlowEdges,
  toFlowNodes,
  type BuilderFlowEdge,
  type BuilderFlowNode,
  type FlowTexts,
} from "./flow";
import type { PlacedProblem } from "./problems";
import type { RunMarks } from "./sandbox/runMarks";

/** The drag-and-drop payload's type: a node type's name, from the palette. */
export const NODE_TYPE_MIME = "application/x-agentpaas-node-type";

interface Props {
  definition: WorkflowDefinition;
  selection: Selection;
  problems: readonly PlacedProblem[];
  terminals: { start: Point; end: Point };
  readOnly: boolean;
  typeLabel: (type: string) => string;
  /** The canvas element (click-to-add puts nodes at its centre). */
  canvasRef: RefObject<HTMLDivElement | null>;
  /** A new selection, or how to change the current one (React Flow reports nodes and edges separately). */
  onSelect: (update: Selection | ((current: Selection) => Selection)) => void;
  onConnect: (source: string, target: string) => void;
  onMove: (positions: Map<string, Point>) => void;
  onDropType: (type: string, at: Point) => void;
  label: string;
  /** The sandbox's run, painted on the nodes and edges while the sandbox is open (null: editing colours). */
  run?: RunMarks | null;
}

export function BuilderCanvas(props: Props) {
  const { definition, selection, problems, terminals, readOnly, typeLabel, canvasRef, label, run = null } = props;
  const { onSelect, onConnect, onMove, onDropType } = props;
  const { t } = useTranslation("builder");
  const { screenToFlowPosition } = useReactFlow();
  const [dragging, setDragging] = useState<Map<string, Point>>(() => new Map());

  const texts = useMemo(
    (): FlowTexts => ({
      typeLabel,
      terminal: (role) => t(`canvas.${role}`),
      nodeAria: (spec, count) =>
        count
          ? t("canvas.nodeAriaProblems", { name: spec.name, type: typeLabel(spec.type), count })
          : t("canvas.nodeAria", { name: spec.name, type: typeLabel(spec.type) }),
      edgeAria: (drawn, count) => {
        const name = (id: string) => (id === START ? t("canvas.start") : id === END ? t("canvas.end") : id);
        const options = {
          kind: t(`edge.kind.${drawn.kind}`),
          source: name(drawn.source),
          target: name(drawn.target),
          label: edgeLabelText(t, drawn),
          count,
        };
        return count ? t("canvas.edgeAriaProblems", options) : t("canvas.edgeAria", options);
      },
      withRunState: (nodeLabel, state) =>
        t("sandbox:canvas.nodeState", { label: nodeLabel, state: t(`run:state.${state}`) }),
    }),
    [t, typeLabel],
  );
  const nodes = useMemo(
    () => toFlowNodes({ definition, selection, problems, terminals, dragging, readOnly, texts, run }),
    [definition, selection, problems, terminals, dragging, readOnly, texts, run],
  );
  const edges = useMemo(
    () => toFlowEdges({ definition, selection, problems, terminals, dragging, readOnly, texts, run }),
    [definition, selection, problems, terminals, dragging, readOnly, texts, run],
  );

  const onNodesChange = (changes: NodeChange<BuilderFlowNode>[]) => {
    const moving = changes.filter((c) => c.type === "position" && c.dragging && c.position);
    if (moving.length) {
      setDragging((current) => {
        const next = new Map(current);
        for (const change of moving) if (change.type === "position") next.set(change.id, change.position!);
        return next;
      });
    }
    if (changes.some((c) => c.type === "select")) onSelect((current) => selectionAfter(current, changes, []));
  };
  const onEdgesChange = (changes: EdgeChange<BuilderFlowEdge>[]) => {
    if (changes.some((c) => c.type === "select")) onSelect((current) => selectionAfter(current, [], changes));
  };
  const onNodeDragStop = (_: unknown, __: unknown, moved: BuilderFlowNode[]) => {
    onMove(new Map(moved.filter((n) => n.type === "builderNode").map((n) => [n.id, n.position])));
    setDragging(new Map());
  };
  const connect = (connection: Connection) => onConnect(connection.source, connection.target);
  const isValidConnection = (connection: { source: string; target: string }) =>
    connection.source !== END && connection.target !== START;

  const onDragOver = (event: DragEvent) => {
    if (readOnly || !event.dataTransfer.types.includes(NODE_TYPE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  };
  const onDrop = (event: DragEvent) => {
    const type = event.dataTransfer.getData(NODE_TYPE_MIME);
    if (readOnly || !type) return;
    event.preventDefault();
    const at = screenToFlowPosition({ x: event.clientX, y: event.clientY });
    onDropType(type, { x: at.x - NODE_SIZES.node.width / 2, y: at.y - NODE_SIZES.node.height / 2 });
  };
  const selectEdge = useCallback((index: number) => onSelect({ nodes: [], edge: index }), [onSelect]);

  const ariaLabelConfig = useMemo(
    () => ({
      "node.a11yDescription.default": t("canvas.nodeHelp"),
      "node.a11yDescription.keyboardDisabled": t("canvas.nodeHelp"),
      "edge.a11yDescription.default": t("canvas.edgeHelp"),
      "controls.ariaLabel": t("canvas.controls"),
      "controls.zoomIn.ariaLabel": t("canvas.zoomIn"),
      "controls.zoomOut.ariaLabel": t("canvas.zoomOut"),
      "controls.fitView.ariaLabel": t("canvas.fitView"),
      "controls.interactive.ariaLabel": t("canvas.interactive"),
      "handle.ariaLabel": t("canvas.handle"),
    }),
    [t],
  );

  const colorMode = useResolvedTheme();
  return (
    <div ref={canvasRef} className="builder-canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <SelectEdgeContext.Provider value={selectEdge}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={builderNodeTypes}
          edgeTypes={builderEdgeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onNodeDragStop={onNodeDragStop}
          onConnect={connect}
          isValidConnection={isValidConnection}
          onPaneClick={() => onSelect({ nodes: [], edge: null })}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={["Shift", "Meta", "Control"]}
          fitView
          fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
          minZoom={0.2}
          maxZoom={2}
          aria-label={label}
          ariaLabelConfig={ariaLabelConfig}
          colorMode={colorMode}
        >
          <Background gap={16} size={1} />
          <Controls showInteractive={false} position="bottom-right" />
        </ReactFlow>
      </SelectEdgeContext.Provider>
    </div>
  );
}
