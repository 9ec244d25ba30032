/** The diff canvas's node components: an agent node with its mark, and the start/end markers. */

import { Handle, Position, type NodeProps, type NodeTypes } from "@xyflow/react";
import { useTranslation } from "react-i18next";
import type { DiffFlowNode } from "./diffFlow";
import { diffNodeName, diffTypeLabel, nodeMarkText } from "./diffLabels";

/** A node of either version: its type and name, and whether it was added, removed or changed. */
function DiffNode({ data, selected }: NodeProps<DiffFlowNode>) {
  const { t } = useTranslation("diff");
  const node = data.view;
  const mark = nodeMarkText(t, node);
  return (
    <div
      className={`diff-node diff-node--${node.mark}${selected ? " diff-node--selected" : ""}`}
      data-node-id={node.id}
      data-mark={node.mark}
      title={node.description ?? undefined}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <span className="run-node-type">{diffTypeLabel(t, node.type) || "\u00a0"}</span>
      <span className="diff-node-name">{node.label}</span>
      <span className="diff-node-mark">
        {mark ? (
          <>
            <span className="diff-mark-icon" aria-hidden="true" />
            {mark}
          </>
        ) : null}
      </span>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

/** The start or end of the graph (the same in both versions). */
function DiffTerminal({ data }: NodeProps<DiffFlowNode>) {
  const { t } = useTranslation("diff");
  const node = data.view;
  return (
    <div className={`run-terminal run-terminal--${node.role} run-node--idle`} data-node-id={node.id}>
      {node.role === "end" ? <Handle type="target" position={Position.Top} isConnectable={false} /> : null}
      {diffNodeName(t, node)}
      {node.role === "start" ? <Handle type="source" position={Position.Bottom} isConnectable={false} /> : null}
    </div>
  );
}

export const diffNodeTypes = { diffNode: DiffNode, diffTerminal: DiffTerminal } satisfies NodeTypes;
