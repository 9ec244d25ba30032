/** The React Flow canvas of the overlaid graph: read-only, fitted to the panel, a node selected by click or keyboard. */

import { Controls, ReactFlow, ReactFlowProvider, useReactFlow, type NodeChange } from "@xyflow/react";
import { useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import { edgeTypes } from "./edges";
import { toFlowEdges, toFlowNodes, type FlowLabels, type RunFlowNode } from "./flow";
import { edgeAriaLabel, nodeAriaLabel, nodeName } from "./labels";
import type { Layout } from "./layout";
import { nodeTypes } from "./nodes";
import type { GraphView } from "./overlay";

interface Props {
  view: GraphView;
  layout: Layout;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  /** The canvas's accessible name. */
  label: string;
}

const FIT = { padding: 0.12, maxZoom: 1.1 };

export function GraphCanvas(props: Props) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas({ view, layout, selectedId, onSelect, label }: Props) {
  const { t } = useTranslation("run");
  const labels = useMemo((): FlowLabels => {
    const names = new Map(view.nodes.map((n) => [n.id, nodeName(t, n)]));
    return { node: (n) => nodeAriaLabel(t, n), edge: (e) => edgeAriaLabel(t, e, names) };
  }, [view.nodes, t]);
  const nodes = useMemo(() => toFlowNodes(view, layout, selectedId, labels), [view, layout, selectedId, labels]);
  const edges = useMemo(() => toFlowEdges(view, labels), [view, labels]);
  const ariaLabelConfig = useMemo(
    () => ({
      "node.a11yDescription.default": t("flow.nodeHelp"),
      "node.a11yDescription.keyboardDisabled": t("flow.nodeHelp"),
      "edge.a11yDescription.default": t("flow.edgeHelp"),
      "controls.ariaLabel": t("flow.controls"),
      "controls.zoomIn.ariaLabel": t("flow.zoomIn"),
      "controls.zoomOut.ariaLabel": t("flow.zoomOut"),
      "controls.fitView.ariaLabel": t("flow.fitView"),
      "controls.interactive.ariaLabel": t("flow.interactive"),
      "minimap.ariaLabel": t("flow.minimap"),
      "handle.ariaLabel": t("flow.handle"),
    }),
    [t],
  );

  // Fit the graph again when its shape changes (not on every state change) and whenever the
  // canvas changes size: the panel dragged, full screen, a node's details opened below it.
  const { fitView } = useReactFlow();
  const canvas = useRef<HTMLDivElement>(null);
  const shape = useMemo(() => [...layout.keys()].join("\u0000"), [layout]);
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
  }, [shape, fitView]);

  const onNodesChange = (changes: NodeChange<RunFlowNode>[]) => {
    // The canvas is read-only: only selection (a click, or Enter on a focused node) is taken.
    for (const change of changes) if (change.type === "select" && change.selected) onSelect(change.id);
  };

  return (
    <div ref={canvas} className="graph-canvas" data-stage={view.stage}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
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
