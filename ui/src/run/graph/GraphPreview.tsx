/**
 * A read-only preview of an agent graph (a template's, a version's under review) on the live
 * graph's canvas, with no run laid over it. A selected node shows its type and description.
 */

import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { NO_RUNS } from "../nodeRuns";
import type { AgentGraph } from "./api";
import { GraphCanvas } from "./GraphCanvas";
import { typeLabel } from "./labels";
import { overlayRun } from "./overlay";
import { useGraphLayout } from "./useGraphLayout";

interface Props {
  graph: AgentGraph;
  /** The canvas's accessible name (translated by the caller). */
  label: string;
}

export function GraphPreview({ graph, label }: Props) {
  const { t } = useTranslation("run");
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const view = useMemo(() => overlayRun(graph, NO_RUNS, "idle"), [graph]);
  const layout = useGraphLayout(graph);
  const selected = view.nodes.find((n) => n.id === selectedId && n.role === "node") ?? null;
  return (
    <div className="graph-preview">
      <GraphCanvas view={view} layout={layout} selectedId={selectedId} onSelect={setSelectedId} label={label} />
      <p className="muted graph-preview-note" aria-live="polite">
        {selected
          ? t("preview.selected", { name: selected.label, type: typeLabel(t, selected.type) })
          : t("preview.hint")}
        {selected?.description ? <span lang="en"> — {selected.description}</span> : null}
      </p>
    </div>
  );
}
