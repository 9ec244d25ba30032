/** The diff canvas's edge: drawn like the run graph's, coloured and labelled by its mark. */

import { BaseEdge, EdgeLabelRenderer, type EdgeProps, type EdgeTypes } from "@xyflow/react";
import { useTranslation } from "react-i18next";
import type { DiffFlowEdge } from "./diffFlow";
import { diffEdgeLabel } from "./diffLabels";
import { edgePath } from "./edgePath";

function DiffEdge(props: EdgeProps<DiffFlowEdge>) {
  const { t } = useTranslation("diff");
  const view = props.data!.view;
  const [path, labelX, labelY] = edgePath(props);
  const label = diffEdgeLabel(t, view);
  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        markerEnd={props.markerEnd}
        className="run-edge-path"
        data-edge-id={props.id}
        data-edge-kind={view.kind}
        data-mark={view.mark}
      />
      {/* A fan-out is a double line: the wide stroke hollowed out by a thin one. */}
      {view.kind === "fan_out" ? <path d={path} className="run-edge-hollow" fill="none" /> : null}
      {label ? (
        <EdgeLabelRenderer>
          <div
            className={`run-edge-label diff-edge-label diff-edge-label--${view.mark}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-edge-label={props.id}
            data-mark={view.mark}
          >
            {label}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const diffEdgeTypes = { diffEdge: DiffEdge } satisfies EdgeTypes;
