/** The graph's node components, registered once in `nodeTypes`: an agent node and the start/end markers. */

import { Handle, Position, type NodeProps, type NodeTypes } from "@xyflow/react";
import { useTranslation } from "react-i18next";
import type { RunFlowNode } from "./flow";
import { nodeName, typeLabel } from "./labels";

/** One node of the agent: its type, name and state, how often it ran, its retry attempt. */
function AgentNode({ data, selected }: NodeProps<RunFlowNode>) {
  const { t } = useTranslation("run");
  const node = data.view;
  const runs = node.runs.length;
  return (
    <div
      className={`run-node run-node--${node.state}${selected ? " run-node--selected" : ""}`}
      data-node-id={node.id}
      data-state={node.state}
      data-runs={runs}
      title={node.description ?? undefined}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <span className="run-node-head">
        <span className="run-node-type">{typeLabel(t, node.type)}</span>
        {runs > 1 ? <span className="run-node-count">{t("node.count", { count: runs })}</span> : null}
      </span>
      <span className="run-node-name">{node.label}</span>
      <span className="run-node-state">
        <span className="run-node-icon" aria-hidden="true" />
        {node.state === "retrying" && node.attempt > 0
          ? t("node.stateAttempt", { state: t(`state.${node.state}`), attempt: node.attempt })
          : t(`state.${node.state}`)}
      </span>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

/** The start or end of the graph. */
function TerminalNode({ data }: NodeProps<RunFlowNode>) {
  const { t } = useTranslation("run");
  const node = data.view;
  return (
    <div
      className={`run-terminal run-terminal--${node.role} run-node--${node.state}`}
      data-node-id={node.id}
      data-state={node.state}
    >
      {node.role === "end" ? <Handle type="target" position={Position.Top} isConnectable={false} /> : null}
      {nodeName(t, node)}
      {node.role === "start" ? <Handle type="source" position={Position.Bottom} isConnectable={false} /> : null}
    </div>
  );
}

export const nodeTypes = { agentNode: AgentNode, terminalNode: TerminalNode } satisfies NodeTypes;
