/**
 * A visual diff between two versions of an agent: both graphs merged on one canvas, nodes and
 * edges added (green, "+"), removed (red, dashed and struck through) or changed (amber, with how
 * many values) and named so in words too; a legend; and the list of what changed beside it.
 * Shared by Studio (any two versions) and the reviewer's submission page (against the published one).
 */

import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AgentGraph } from "./api";
import { ChangeList, changeGroupId } from "./ChangeList";
import { DiffCanvas } from "./DiffCanvas";
import { diffTypeLabel, markLabel, nodeMarkText } from "./diffLabels";
import { countMarks, DIFF_MARKS, mergeGraphs, type DiffMark, type VersionDiff } from "./graphDiff";
import { useGraphLayout } from "./useGraphLayout";
import "./graphDiff.css";

interface Props {
  diff: VersionDiff;
  /** The older version's graph; null when it is not known (its removed parts come from the diff). */
  from: AgentGraph | null;
  /** The newer version's graph. */
  to: AgentGraph;
  /** The canvas's accessible name (translated by the caller). */
  label: string;
}

/** What the marks mean, each with its own shape (never colour alone). */
function Legend() {
  const { t } = useTranslation("diff");
  const marks: DiffMark[] = [...DIFF_MARKS, "same"];
  return (
    <ul className="graph-legend diff-legend" aria-label={t("legend.label")}>
      {marks.map((mark) => (
        <li key={mark} className={`graph-legend-item diff-legend--${mark}`}>
          <span className="diff-swatch" aria-hidden="true">
            <span className="diff-mark-icon" />
          </span>
          {t(`legend.${mark}`)}
        </li>
      ))}
    </ul>
  );
}

/** "2 nodes added · 1 edge removed…", or that the graph is the same. */
function Summary({ counts }: { counts: ReturnType<typeof countMarks> }) {
  const { t } = useTranslation("diff");
  const parts = (["nodes", "edges"] as const).flatMap((what) =>
    DIFF_MARKS.filter((mark) => counts[what][mark] > 0).map((mark) =>
      t(`summary.${what}.${mark}`, { count: counts[what][mark] }),
    ),
  );
  return <p className="diff-summary">{parts.length ? parts.join(" · ") : t("summary.same")}</p>;
}

export function GraphDiffView({ diff, from, to, label }: Props) {
  const { t } = useTranslation("diff");
  const idPrefix = useId();
  const drawing = useMemo(() => mergeGraphs(from, to, diff), [from, to, diff]);
  const layout = useGraphLayout(drawing.graph);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = drawing.nodes.find((n) => n.id === selectedId && n.role === "node") ?? null;
  const counts = useMemo(() => countMarks(drawing), [drawing]);
  return (
    <div className="graph-diff">
      <Summary counts={counts} />
      <Legend />
      <div className="graph-diff-body">
        <div className="graph-diff-stage">
          <DiffCanvas
            drawing={drawing}
            layout={layout}
            selectedId={selectedId}
            onSelect={setSelectedId}
            label={label}
          />
          <p className="muted graph-preview-note" aria-live="polite">
            {selected ? (
              <>
                {t("canvas.selected", {
                  name: selected.label,
                  type: diffTypeLabel(t, selected.type) || "—",
                  mark: nodeMarkText(t, selected) ?? markLabel(t, "same"),
                })}{" "}
                {selected.mark === "changed" ? (
                  <a href={`#${changeGroupId(idPrefix, `node:${selected.id}`)}`}>{t("canvas.showChanges")}</a>
                ) : null}
              </>
            ) : (
              t("canvas.hint")
            )}
          </p>
        </div>
        <ChangeList diff={diff} to={to} idPrefix={idPrefix} selectedNode={selected?.id ?? null} />
      </div>
    </div>
  );
}
