/**
 * The selected node: its config form (the inspector), the edges leaving it — each opens in the
 * edge panel — a way to connect it without dragging (keyboard, touch), and delete.
 */

import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  END,
  START,
  edgeTargets,
  type BuilderProblem,
  type NodeSpec,
  type NodeTypePublic,
  type WorkflowDefinition,
} from "./definition";
import { FieldProblems } from "./FieldProblems";
import { NodeInspector } from "./inspector/NodeInspector";

interface Props {
  definition: WorkflowDefinition;
  node: NodeSpec;
  nodeType: NodeTypePublic | undefined;
  problems: BuilderProblem[];
  readOnly: boolean;
  onChange: (next: NodeSpec) => void;
  onConnect: (source: string, target: string) => void;
  onSelectEdge: (index: number) => void;
  onDelete: () => void;
}

export function NodePanel({
  definition,
  node,
  nodeType,
  problems,
  readOnly,
  onChange,
  onConnect,
  onSelectEdge,
  onDelete,
}: Props) {
  const { t } = useTranslation("builder");
  const id = useId();
  const others = definition.nodes.filter((n) => n.name !== node.name).map((n) => n.name);
  const outgoing = definition.edges
    .map((edge, index) => ({ edge, index }))
    .filter(({ edge }) => edge.source === node.name);
  const linked = new Set(outgoing.flatMap(({ edge }) => edgeTargets(edge)));
  const choices = [...definition.nodes.map((n) => n.name), END].filter((name) => !linked.has(name));
  const [target, setTarget] = useState("");
  const nameOf = (name: string) => (name === END ? t("canvas.end") : name);
  const fromStart = definition.edges.some((edge) => edge.source === START && edgeTargets(edge).includes(node.name));
  // The node's own problems (its path is the node itself) are not tied to any field of the form.
  const own = problems.filter((p) => p.path === "");
  return (
    <section className="builder-node-panel" aria-labelledby={`${id}-title`} data-node-name={node.name}>
      <h2 id={`${id}-title`} className="builder-panel-title">
        {t("nodePanel.title", { name: node.name })}
      </h2>
      <FieldProblems problems={own} />
      <NodeInspector
        node={node}
        nodeType={nodeType}
        otherNodeNames={others}
        stateKeys={Object.keys(definition.state)}
        problems={problems}
        readOnly={readOnly}
        onChange={onChange}
      />
      <section className="builder-connections" aria-labelledby={`${id}-edges`}>
        <h3 id={`${id}-edges`}>{t("nodePanel.edges")}</h3>
        {outgoing.length === 0 ? <p className="muted">{t("nodePanel.noEdges")}</p> : null}
        <ul className="builder-edge-list">
          {outgoing.map(({ edge, index }) => (
            <li key={index}>
              <button type="button" className="button button--small button--ghost" onClick={() => onSelectEdge(index)}>
                {t("nodePanel.edge", {
                  kind: t(`edge.kind.${edge.type === "fanout" ? "fan_out" : edge.type}`),
                  targets: edgeTargets(edge).map(nameOf).join(", ") || "—",
                })}
              </button>
            </li>
          ))}
        </ul>
        {readOnly ? null : (
          <div className="builder-connect">
            <label className="field-label" htmlFor={`${id}-connect`}>
              {t("nodePanel.connectTo")}
            </label>
            <select id={`${id}-connect`} value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">{t("nodePanel.pickTarget")}</option>
              {choices.map((name) => (
                <option key={name} value={name}>
                  {nameOf(name)}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button button--small"
              disabled={!target}
              onClick={() => {
                onConnect(node.name, target);
                setTarget("");
              }}
            >
              {t("nodePanel.connect")}
            </button>
          </div>
        )}
        {readOnly || fromStart ? null : (
          <button
            type="button"
            className="button button--small button--ghost"
            onClick={() => onConnect(START, node.name)}
          >
            {t("nodePanel.connectFromStart")}
          </button>
        )}
      </section>
      {readOnly ? null : (
        <button type="button" className="button button--small button--danger-outline" onClick={onDelete}>
          {t("nodePanel.delete")}
        </button>
      )}
    </section>
  );
}
