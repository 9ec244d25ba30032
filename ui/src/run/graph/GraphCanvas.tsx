/** The React Flow canvas of the overlaid graph: read-only, fitted to the panel, a node selected by click or keyboard. */

import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { edgeTypes } from "./edges";
import { toFlowEdges, toFlowNodes, type FlowLabels } from "./flow";
import { edgeAriaLabel, nodeAriaLabel, nodeName } from "./labels";
import type { Layout } from "./layout";
import { nodeTypes } from "./nodes";
import type { GraphView } from "./overlay";
import { ReadOnlyCanvas } from "./ReadOnlyCanvas";

interface Props {
  view: GraphView;
  layout: Layout;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  /** The canvas's accessible name. */
  label: string;
}

export function GraphCanvas({ view, layout, selectedId, onSelect, label }: Props) {
  const { t } = useTranslation("run");
  const labels = useMemo((): FlowLabels => {
    const names = new Map(view.nodes.map((n) => [n.id, nodeName(t, n)]));
    return { node: (n) => nodeAriaLabel(t, n), edge: (e) => edgeAriaLabel(t, e, names) };
  }, [view.nodes, t]);
  const nodes = useMemo(() => toFlowNodes(view, layout, selectedId, labels), [view, layout, selectedId, labels]);
  const edges = useMemo(() => toFlowEdges(view, labels), [view, labels]);
  // Refit on a change of shape only: a run's state changes often, its nodes do not.
  const shape = useMemo(() => [...layout.keys()].join("\u0000"), [layout]);
  return (
    <ReadOnlyCanvas
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      fitKey={shape}
      onSelect={onSelect}
      label={label}
      nodeHelp={t("flow.nodeHelp")}
      className="graph-canvas"
      stage={view.stage}
    />
  );
}
