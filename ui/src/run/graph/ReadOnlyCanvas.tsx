/**
 * The read-only React Flow canvas shared by the run graph and the version diff: fitted to its
 * box, a node selected by click or keyboard. The callers decide what is drawn and how it is named.
 */

import {
  Controls,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Edge,
  type EdgeTypes,
  type Node,
  type NodeChange,
  type NodeTypes,
} from "@xyflow/react";
import { useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useResolvedTheme } from "../../lib/theme";

interface Props<N extends Node, E extends Edge> {
  nodes: N[];
  edges: E[];
  nodeTypes: NodeTypes;
  edgeTypes: EdgeTypes;
  /** The graph is fitted again when this changes (and whenever the canvas changes size). */
  fitKey: unknown;
  onSelect: (id: string | null) => void;
  /** The canvas's accessible name. */
  label: string;
  /** What a focused node tells a screen reader it does, in the person's language. */
  nodeHelp: string;
  className: string;
  /** Written as `data-stage` for the styles, when given. */
  stage?: string;
}

const FIT = { padding: 0.12, maxZoom: 1.1 };

/** A read-only canvas in its own React Flow provider. */
export function ReadOnlyCanvas<N extends Node, E extends Edge>(props: Props<N, E>) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas<N extends Node, E extends Edge>(props: Props<N, E>) {
  const { nodes, edges, nodeTypes, edgeTypes, fitKey, onSelect, label, nodeHelp, className, stage } = props;
  const { t } = useTranslation("run");
  const ariaLabelConfig = useMemo(
    () => ({
      "node.a11yDescription.default": nodeHelp,
      "node.a11yDescription.keyboardDisabled": nodeHelp,
      "edge.a11yDescription.default": t("flow.edgeHelp"),
      "controls.ariaLabel": t("flow.controls"),
      "controls.zoomIn.ariaLabel": t("flow.zoomIn"),
      "controls.zoomOut.ariaLabel": t("flow.zoomOut"),
      "controls.fitView.ariaLabel": t("flow.fitView"),
      "controls.interactive.ariaLabel": t("flow.interactive"),
      "minimap.ariaLabel": t("flow.minimap"),
      "handle.ariaLabel": t("flow.handle"),
    }),
    [t, nodeHelp],
  );

  // Fit the graph again when its shape changes (not on every state change) and whenever the
  // canvas changes size: the panel dragged, full screen, a node's details opened below it.
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
  }, [fitKey, fitView]);

  const onNodesChange = (changes: NodeChange<N>[]) => {
    // The canvas is read-only: only selection (a click, or Enter on a focused node) is taken.
    for (const change of changes) if (change.type === "select" && change.selected) onSelect(change.id);
  };

  const colorMode = useResolvedTheme();
  return (
    <div ref={canvas} className={className} data-stage={stage}>
      <ReactFlow<N, E>
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
        colorMode={colorMode}
      >
        <Controls showInteractive={false} orientation="horizontal" position="bottom-right" />
      </ReactFlow>
    </div>
  );
}
