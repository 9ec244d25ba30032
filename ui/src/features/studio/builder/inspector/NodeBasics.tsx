/**
 * A node's name and description. A new name is taken when the person leaves the box (or presses
 * Enter) and only if it is valid and free: renaming rewires the graph's edges, so half-typed
 * names must not reach it.
 */

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { TextField } from "../../../../components/TextField";
import type { NodeSpec } from "../definition";
import { problemsAt } from "./configForm";
import { nodeNameProblem } from "./names";
import type { BuilderProblem } from "../definition";

interface Props {
  node: NodeSpec;
  otherNodeNames: readonly string[];
  problems: readonly BuilderProblem[];
  readOnly: boolean;
  onChange: (next: NodeSpec) => void;
}

export function NodeBasics({ node, otherNodeNames, problems, readOnly, onChange }: Props) {
  const { t } = useTranslation("nodeConfig");
  const [draft, setDraft] = useState(node.name);
  const [shownName, setShownName] = useState(node.name);
  if (shownName !== node.name) {
    // Renamed from outside (undo, another node): show the new name.
    setShownName(node.name);
    setDraft(node.name);
  }
  const problem = nodeNameProblem(draft, otherNodeNames);
  const nameError = problem
    ? t(`names.${problem}`, { name: draft })
    : draft === node.name
      ? problemsAt(problems, "/name").join(" ") || undefined
      : undefined;
  const commit = () => {
    if (problem || draft === node.name) return;
    setShownName(draft);
    onChange({ ...node, name: draft });
  };
  const descriptionError = problemsAt(problems, "/description").join(" ") || undefined;
  return (
    <div className="inspector-basics">
      <TextField
        label={t("basics.name")}
        value={draft}
        onChange={setDraft}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            commit();
          }
        }}
        hint={t("basics.nameHint")}
        error={nameError}
        disabled={readOnly}
        autoComplete="off"
        spellCheck={false}
      />
      <div className="field">
        <label className="field-label" htmlFor={`node-${node.name}-description`}>
          {t("basics.description")}
          <span className="required"> {t("common:field.optional")}</span>
        </label>
        <textarea
          id={`node-${node.name}-description`}
          rows={2}
          value={node.description ?? ""}
          disabled={readOnly}
          aria-invalid={descriptionError ? true : undefined}
          aria-describedby={descriptionError ? `node-${node.name}-description-error` : undefined}
          onChange={(event) => {
            const { description: _description, ...rest } = node;
            onChange(event.target.value ? { ...rest, description: event.target.value } : rest);
          }}
        />
        {descriptionError ? (
          <span id={`node-${node.name}-description-error`} className="field-error">
            {descriptionError}
          </span>
        ) : null}
      </div>
    </div>
  );
}
