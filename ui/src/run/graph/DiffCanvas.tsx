/** The React Flow canvas of a version diff: read-only, fitted to its box, a node selected by click or keyboard. */

import { Controls, ReactFlow, ReactFlowProvider, useReactFlow, type NodeChange } from "@xyflow/react";
import { useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import { diffEdgeTypes } from "./diffEdges";
import { toDiffFlowEdges, toDiffFlowNodes, type DiffFlowLabels, type DiffFlowNode } from "./diffFlow";
import { diffEdgeAria, diffNodeAria, diffNodeName } from "./diffLabels";
import { diffNodeTypes } from "./diffNodes";
import type { DiffDrawing } from "./graphDiff";
import type { Layout } from "./layout";

interface Props {
  drawing: DiffDrawing;
  layout: Layout;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  /** The canvas's accessible name. */
  label: string;
}

const FIT = { padding: 0.12, maxZoom: 1.1 };

export function DiffCanvas(props: Props) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas({ drawing, layout, selectedId, onSelect, label }: Props) {
  const { t } = useTranslation("diff");
  const labels = useMemo((): DiffFlowLabels => {
    const names = new Map(drawing.nodes.map((n) => [n.id, diffNodeName(t, n)]));
    return { node: (n) => diffNodeAria(t, n), edge: (e) => diffEdgeAria(t, e, names) };
  }, [drawing.nodes, t]);
  const nodes = useMemo(
    () => toDiffFlowNodes(drawing, layout, selectedId, labels),
    [drawing, layout, selectedId, labels],
  );
  const edges = useMemo(() => toDiffFlowEdges(drawing, labels), [drawing, labels]);
  const ariaLabelConfig = useMemo(
    () => ({
      "node.a11yDescription.default": t("canvas.nodeHelp"),
      "node.a11yDescription.keyboardDisabled": t("canvas.nodeHelp"),
      "edge.a11yDescription.default": t("run:flow.edgeHelp"),
      "controls.ariaLabel": t("run:flow.controls"),
      "controls.zoomIn.ariaLabel": t("run:flow.zoomIn"),
      "controls.zoomOut.ariaLabel": t("run:flow.zoomOut"),
      "controls.fitView.ariaLabel": t("run:flow.fitView"),
      "controls.interactive.ariaLabel": t("run:flow.interactive"),
      "minimap.ariaLabel": t("run:flow.minimap"),
      "handle.ariaLabel": t("run:flow.handle"),
    }),
    [t],
  );

  // Fit the drawing when its shape changes and whenever the canvas changes size.
  const { fitView } = useReactFlow();
  const canvas = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    let frame = 0;
    const refit = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => void fitView(FIT));
    };
    refit();
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(refit);
    observer?.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      observer?.disconnect();
    };
  }, [layout, fitView]);

  const onNodesChange = (changes: NodeChange<DiffFlowNode>[]) => {
    // Read-only: only selection (a click, or Enter on a focused node) is taken.
    for (const change of changes) if (change.type === "select" && change.selected) onSelect(change.id);
  };

  return (
    <div ref={canvas} className="graph-canvas diff-canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={diffNodeTypes}
        edgeTypes={diffEdgeTypes}
        onNodesChange={onNodesChange}
        onPaneClick={() => onSelect(null)}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        deleteKeyCode={null}
        fitView
        fitViewOptions={FIT}
        minZoom={0.2}
        maxZoom={1.6}
        aria-label={label}
        ariaLabelConfig={ariaLabelConfig}
      >
        <Controls showInteractive={false} orientation="horizontal" position="bottom-right" />
      </ReactFlow>
    </div>
  );
}
