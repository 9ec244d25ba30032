/**
 * One conversation's two paths on the candidate version's graph, on the read-only canvas: each
 * node says in words (and a mark of its own, never colour alone) which run went through it.
 */

import { BaseEdge, Handle, Position, type EdgeProps, type NodeProps } from "@xyflow/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { AgentGraph } from "../../run/graph/api";
import { edgePath } from "../../run/graph/edgePath";
import { ReadOnlyCanvas } from "../../run/graph/ReadOnlyCanvas";
import { useGraphLayout } from "../../run/graph/useGraphLayout";
import { toPathFlowEdges, toPathFlowNodes, type PathFlowEdge, type PathFlowNode, type PathNodeView } from "./pathFlow";
import type { PathDrawing } from "./pathMarks";

type Translate = (key: string, options?: Record<string, unknown>) => string;

const nodeName = (t: Translate, node: PathNodeView) =>
  node.role === "node" ? node.label : t(node.role === "start" ? "path.start" : "path.end");

function PathNode({ data }: NodeProps<PathFlowNode>) {
  const { t } = useTranslation("replayCheck");
  const node = data.view;
  return (
    <div className={`replay-node replay-mark--${node.mark}`} data-node-id={node.id} data-path-mark={node.mark}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <span className="replay-node-name">{node.label}</span>
      <span className="replay-node-mark">
        <span className="replay-mark-icon" aria-hidden="true" />
        {t(`path.mark.${node.mark}`)}
      </span>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

function PathTerminal({ data }: NodeProps<PathFlowNode>) {
  const { t } = useTranslation("replayCheck");
  const node = data.view;
  return (
    <div className={`run-terminal run-terminal--${node.role} run-node--idle`} data-node-id={node.id}>
      {node.role === "end" ? <Handle type="target" position={Position.Top} isConnectable={false} /> : null}
      {nodeName(t, node)}
      {node.role === "start" ? <Handle type="source" position={Position.Bottom} isConnectable={false} /> : null}
    </div>
  );
}

function PathEdge(props: EdgeProps<PathFlowEdge>) {
  const [path] = edgePath(props);
  return <BaseEdge id={props.id} path={path} markerEnd={props.markerEnd} data-path-mark={props.data?.mark} />;
}

const nodeTypes = { pathNode: PathNode, pathTerminal: PathTerminal };
const edgeTypes = { pathEdge: PathEdge };

interface Props {
  graph: AgentGraph;
  drawing: PathDrawing;
  /** The canvas's accessible name. */
  label: string;
}

export function PathCanvas({ graph, drawing, label }: Props) {
  const { t } = useTranslation("replayCheck");
  const layout = useGraphLayout(graph);
  const nodes = useMemo(
    () =>
      toPathFlowNodes(graph, drawing, layout, (node) =>
        t("path.nodeAria", { name: nodeName(t, node), mark: t(`path.mark.${node.mark}`) }),
      ),
    [graph, drawing, layout, t],
  );
  const edges = useMemo(() => toPathFlowEdges(graph, drawing), [graph, drawing]);
  return (
    <ReadOnlyCanvas
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      fitKey={layout}
      onSelect={() => undefined}
      label={label}
      nodeHelp={t("path.nodeHelp")}
      className="graph-canvas replay-canvas"
    />
  );
}
