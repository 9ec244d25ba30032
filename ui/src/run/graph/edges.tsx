/** The graph's edge component, registered in `edgeTypes`: solid, dashed (conditional) or doubled (fan-out), with its label. */

import { BaseEdge, EdgeLabelRenderer, type EdgeProps, type EdgeTypes } from "@xyflow/react";
import { useTranslation } from "react-i18next";
import type { RunFlowEdge } from "./flow";
import { edgePath } from "./edgePath";
import { edgeLabel } from "./labels";

function RunEdge(props: EdgeProps<RunFlowEdge>) {
  const { t } = useTranslation("run");
  const { id, markerEnd, data } = props;
  const view = data!.view;
  const [path, labelX, labelY] = edgePath(props);
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
