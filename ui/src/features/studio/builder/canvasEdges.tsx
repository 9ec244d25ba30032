/**
 * The builder's edge component: solid (normal), dashed (conditional) or doubled (fan-out), with
 * a label naming its kind — a condition's outcome ("default" for the default), a fan-out's list —
 * and a badge on the first branch of an edge that has problems.
 */

import {
  BaseEdge,
  EdgeLabelRenderer,
  getBezierPath,
  getSmoothStepPath,
  type EdgeProps,
  type EdgeTypes,
} from "@xyflow/react";
import { createContext, useContext } from "react";
import { useTranslation } from "react-i18next";
import type { AgentGraphEdge } from "../../../run/graph/api";
import type { BuilderFlowEdge } from "./flow";

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** What an edge's label says besides its kind: the outcomes it is taken on, or what a fan-out runs over. */
export function edgeLabelText(t: Translate, drawn: AgentGraphEdge): string {
  if (drawn.kind === "conditional") {
    const parts = [...drawn.outcomes];
    if (drawn.is_default) parts.push(t("edge.default"));
    return parts.join(" · ");
  }
  if (drawn.kind === "fan_out" && drawn.fan_out?.dynamic) {
    return t("edge.eachOf", { over: drawn.fan_out.over || "…" });
  }
  return "";
}

/** Selects a definition edge by index: a click on a label (drawn outside the edge's own SVG) selects its edge. */
export const SelectEdgeContext = createContext<(index: number) => void>(() => {});

function selfLoop(x: number, top: number, bottom: number): [string, number, number] {
  const reach = 110;
  return [
    `M ${x} ${bottom} C ${x + reach} ${bottom + 40}, ${x + reach} ${top - 40}, ${x} ${top}`,
    x + reach * 0.75,
    (top + bottom) / 2,
  ];
}

function BuilderEdge(props: EdgeProps<BuilderFlowEdge>) {
  const { t } = useTranslation("builder");
  const selectEdge = useContext(SelectEdgeContext);
  const { id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, data } =
    props;
  const { drawn, problems, first } = data!;
  let path: string;
  let labelX: number;
  let labelY: number;
  if (source === target) [path, labelX, labelY] = selfLoop(sourceX, targetY, sourceY);
  else if (targetY <= sourceY) {
    [path, labelX, labelY] = getSmoothStepPath({
      sourceX,
      sourceY,
      targetX,
      targetY,
      sourcePosition,
      targetPosition,
      offset: 28,
      borderRadius: 12,
    });
  } else [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const text = edgeLabelText(t, drawn);
  const badge = first && problems.length > 0;
  const showLabel = drawn.kind !== "normal" || badge;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className="builder-edge-path" interactionWidth={18} />
      {drawn.kind === "fan_out" ? <path d={path} className="builder-edge-hollow" fill="none" /> : null}
      {showLabel ? (
        <EdgeLabelRenderer>
          <div
            className={`builder-edge-label builder-edge-label--${drawn.kind}${props.selected ? " builder-edge-label--selected" : ""} nodrag nopan`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            onClick={() => selectEdge(drawn.group)}
            data-edge-label={id}
            data-edge-kind={drawn.kind}
          >
            {drawn.kind !== "normal" ? <span className="builder-edge-kind">{t(`edge.kind.${drawn.kind}`)}</span> : null}
            {text ? <span className="builder-edge-text">{text}</span> : null}
            {badge ? (
              <span className="builder-badge" title={problems.join("\n")}>
                {t("canvas.badge", { count: problems.length })}
              </span>
            ) : null}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const builderEdgeTypes = { builderEdge: BuilderEdge } satisfies EdgeTypes;
