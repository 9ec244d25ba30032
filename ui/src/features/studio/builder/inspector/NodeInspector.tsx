/**
 * The builder's side panel for one node: what the node is (its type), its name and description,
 * its config as a form generated from the type's config schema, and, folded away, its retry
 * policy and timeouts. Validation problems show on the fields they name; the rest are listed at
 * the top. Every change is handed back as a whole new NodeSpec.
 */

import type { JSX } from "react";
import { useTranslation } from "react-i18next";
import type { BuilderProblem, NodeSpec, NodeTypePublic } from "../definition";
import { NodeBasics } from "./NodeBasics";
import { NodeConfigForm } from "./NodeConfigForm";
import { ProblemList } from "./ProblemList";
import { RunPolicyForm } from "./RunPolicyForm";
import "./inspector.css";

export interface NodeInspectorProps {
  node: NodeSpec;
  nodeType: NodeTypePublic | undefined;
  /** Names of the other nodes (a rename must stay unique). */
  otherNodeNames: string[];
  stateKeys: string[];
  /** Paths relative to the node, e.g. "/config/model", "/name". */
  problems: BuilderProblem[];
  readOnly: boolean;
  onChange: (next: NodeSpec) => void;
}

/**
 * Problems some part of the inspector shows next to its field; the others are listed at the top,
 * except those about the node as a whole (path ""), which the canvas's node panel shows.
 */
const SHOWN_IN_PLACE = /^(\/(name|description|config|retry|timeouts)(\/|$)|$)/;

export function NodeInspector({
  node,
  nodeType,
  otherNodeNames,
  stateKeys,
  problems,
  readOnly,
  onChange,
}: NodeInspectorProps): JSX.Element {
  const { t, i18n } = useTranslation("nodeConfig");
  // The built-in types are named in the person's language; others as the server names them.
  const known = i18n.exists(`types.${node.type}.name`, { ns: "nodeConfig" });
  const typeName = known ? t(`types.${node.type}.name`) : (nodeType?.display_name ?? node.type);
  const typeHelp = known ? t(`types.${node.type}.description`) : nodeType?.description;
  const general = problems.filter((problem) => !SHOWN_IN_PLACE.test(problem.path));
  return (
    <section className="inspector" aria-label={t("inspector.label", { name: node.name })}>
      <p className="inspector-type">
        <span className="badge badge--muted">{typeName}</span>
        {typeHelp ? <span className="muted"> {typeHelp}</span> : null}
      </p>
      {readOnly ? <p className="notice">{t("inspector.readOnly")}</p> : null}
      <ProblemList label={t("problems.node")} problems={general} />
      <NodeBasics
        node={node}
        otherNodeNames={otherNodeNames}
        problems={problems}
        readOnly={readOnly}
        onChange={onChange}
      />
      <h3 className="inspector-section">{t("inspector.config")}</h3>
      {nodeType ? (
        <NodeConfigForm
          key={node.type}
          nodeName={node.name}
          typeName={node.type}
          configSchema={nodeType.config_schema}
          defaults={nodeType.default_config}
          config={node.config}
          stateKeys={stateKeys}
          problems={problems}
          readOnly={readOnly}
          onChange={(config) => onChange({ ...node, config })}
        />
      ) : (
        <p className="notice">{t("inspector.unknownType", { type: node.type })}</p>
      )}
      <RunPolicyForm
        node={node}
        nodeType={nodeType}
        execution={nodeType?.execution}
        problems={problems}
        readOnly={readOnly}
        onChange={onChange}
      />
    </section>
  );
}
