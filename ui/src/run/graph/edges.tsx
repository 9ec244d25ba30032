/** The graph's edge component, registered in `edgeTypes`: solid, dashed (conditional) or doubled (fan-out), with its label. */

import {
  BaseEdge,
  EdgeLabelRenderer,
  getBezierPath,
  getSmoothStepPath,
  type EdgeProps,
  type EdgeTypes,
} from "@xyflow/react";
import { useTranslation } from "react-i18next";
import type { RunFlowEdge } from "./flow";
import { edgeLabel } from "./labels";

/** A loop from a node back to itself, drawn out to its right. */
function selfLoop(x: number, top: number, bottom: number): [string, number, number] {
  const reach = 110;
  return [
    `M ${x} ${bottom} C ${x + reach} ${bottom + 40}, ${x + reach} ${top - 40}, ${x} ${top}`,
    x + reach * 0.75,
    (top + bottom) / 2,
  ];
}

function RunEdge(props: EdgeProps<RunFlowEdge>) {
  const { t } = useTranslation("run");
  const { id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, data } =
    props;
  const view = data!.view;
  let path: string;
  let labelX: number;
  let labelY: number;
  if (source === target) [path, labelX, labelY] = selfLoop(sourceX, targetY, sourceY);
  else if (targetY <= sourceY) {
    // A loop back up the graph: go around the nodes rather than through them.
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
  const label = edgeLabel(t, view);
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className="run-edge-path"
        data-edge-id={id}
        data-edge-kind={view.kind}
        data-edge-state={view.state}
        data-taken={view.state === "taken" ? "true" : "false"}
      />
      {/* A fan-out is a double line: the wide stroke hollowed out by a thin one. */}
      {view.kind === "fan_out" ? <path d={path} className="run-edge-hollow" fill="none" /> : null}
      {label ? (
        <EdgeLabelRenderer>
          <div
            className={`run-edge-label run-edge-label--${view.kind} run-edge-label--${view.state}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-edge-label={id}
          >
            {label}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const edgeTypes = { runEdge: RunEdge } satisfies EdgeTypes;
