/** The React Flow canvas of a version diff: read-only, fitted to its box, a node selected by click or keyboard. */

import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { diffEdgeTypes } from "./diffEdges";
import { toDiffFlowEdges, toDiffFlowNodes, type DiffFlowLabels } from "./diffFlow";
import { diffEdgeAria, diffNodeAria, diffNodeName } from "./diffLabels";
import { diffNodeTypes } from "./diffNodes";
import type { DiffDrawing } from "./graphDiff";
import type { Layout } from "./layout";
import { ReadOnlyCanvas } from "./ReadOnlyCanvas";

interface Props {
  drawing: DiffDrawing;
  layout: Layout;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  /** The canvas's accessible name. */
  label: string;
}

export function DiffCanvas({ drawing, layout, selectedId, onSelect, label }: Props) {
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
  return (
    <ReadOnlyCanvas
      nodes={nodes}
      edges={edges}
      nodeTypes={diffNodeTypes}
      edgeTypes={diffEdgeTypes}
      fitKey={layout}
      onSelect={onSelect}
      label={label}
      nodeHelp={t("canvas.nodeHelp")}
      className="graph-canvas diff-canvas"
    />
  );
}
