/**
 * Where one conversation went: the recorded path and this version's, in words (one line when
 * they agree), and both drawn on this version's graph when it is loaded.
 */

import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { AgentGraph } from "../../run/graph/api";
import { PathCanvas } from "./PathCanvas";
import { drawPaths, samePath, type PathMark } from "./pathMarks";

interface Props {
  recorded: readonly string[];
  candidate: readonly string[];
  graph: AgentGraph | null;
  /** The conversation's number, for the canvas's name. */
  number: number;
}

const LEGEND: readonly PathMark[] = ["both", "candidate", "recorded"];

export function PathView({ recorded, candidate, graph, number }: Props) {
  const { t } = useTranslation("replayCheck");
  const drawing = useMemo(() => (graph ? drawPaths(graph, recorded, candidate) : null), [graph, recorded, candidate]);
  const words = (path: readonly string[]) => (path.length ? path.join(" → ") : t("path.empty"));
  return (
    <div className="replay-path">
      {samePath(recorded, candidate) ? (
        <p>
          {t("path.same")} <span className="replay-path-words">{words(candidate)}</span>
        </p>
      ) : (
        <dl className="replay-path-list">
          <dt>{t("path.recorded")}</dt>
          <dd className="replay-path-words" data-path="recorded">
            {words(recorded)}
          </dd>
          <dt>{t("path.candidate")}</dt>
          <dd className="replay-path-words" data-path="candidate">
            {words(candidate)}
          </dd>
        </dl>
      )}
      {drawing?.missing.length ? (
        <p className="muted">{t("path.missing", { nodes: drawing.missing.join(", ") })}</p>
      ) : null}
      {graph && drawing ? (
        <>
          <ul className="replay-legend" aria-label={t("path.legend")}>
            {LEGEND.map((mark) => (
              <li key={mark} className={`replay-legend-item replay-mark--${mark}`}>
                <span className="replay-mark-icon" aria-hidden="true" />
                {t(`path.mark.${mark}`)}
              </li>
            ))}
          </ul>
          <PathCanvas graph={graph} drawing={drawing} label={t("path.canvas", { number })} />
        </>
      ) : null}
    </div>
  );
}
