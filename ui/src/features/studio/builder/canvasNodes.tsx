/**
 * The builder's node components, registered once in `nodeTypes`: an agent node and the start/end
 * terminals. While the sandbox is open each also shows its state in the sandbox's run, with the
 * chat graph's colours and marks (`run-node--<state>`, `styles/graph.css`).
 */

import { Handle, Position, type NodeProps, type NodeTypes } from "@xyflow/react";
import { useTranslation } from "react-i18next";
import type { NodeState } from "../../../run/graph/overlay";
import type { BuilderFlowNode } from "./flow";
import { runStateClass } from "./sandbox/runMarks";

/** The node's state in the sandbox's run: the chat graph's mark and words (the `run` catalog's). */
function RunState({ state }: { state: NodeState }) {
  const { t } = useTranslation("builder");
  return (
    <span className="run-node-state">
      <span className="run-node-icon" aria-hidden="true" />
      {t(`run:state.${state}`)}
    </span>
  );
}

/** One node of the definition: its type, its name, and a badge when it has problems. */
function BuilderNode({ data, selected }: NodeProps<BuilderFlowNode>) {
  const { t } = useTranslation("builder");
  if (data.role !== "node") return null;
  const { spec, typeLabel, problems, readOnly, runState } = data;
  return (
    <div
      className={`builder-node${selected ? " builder-node--selected" : ""}${problems.length ? " builder-node--problem" : ""}${runState ? ` ${runStateClass(runState)}` : ""}`}
      data-node-name={spec.name}
      data-problems={problems.length}
      data-run-state={runState ?? undefined}
      title={problems.length ? problems.join("\n") : (spec.description ?? undefined)}
    >
      <Handle type="target" position={Position.Top} isConnectable={!readOnly} />
      <span className="builder-node-type">{typeLabel}</span>
      <span className="builder-node-name">{spec.name}</span>
      {runState ? <RunState state={runState} /> : null}
      {problems.length ? (
        <span className="builder-badge" aria-hidden="true">
          {t("canvas.badge", { count: problems.length })}
        </span>
      ) : null}
      <Handle type="source" position={Position.Bottom} isConnectable={!readOnly} />
    </div>
  );
}

/** The graph's start (edges leave it) or end (edges arrive at it); fixed in place. */
function BuilderTerminal({ data }: NodeProps<BuilderFlowNode>) {
  if (data.role === "node") return null;
  const { runState } = data;
  return (
    <div
      className={`builder-terminal builder-terminal--${data.role}${runState ? ` ${runStateClass(runState)}` : ""}`}
      data-node-name={data.role === "start" ? "__start__" : "__end__"}
      data-run-state={runState ?? undefined}
    >
      {data.role === "end" ? <Handle type="target" position={Position.Top} isConnectable={!data.readOnly} /> : null}
      {data.label}
      {data.role === "start" ? (
        <Handle type="source" position={Position.Bottom} isConnectable={!data.readOnly} />
      ) : null}
    </div>
  );
}

export const builderNodeTypes = { builderNode: BuilderNode, builderTerminal: BuilderTerminal } satisfies NodeTypes;
