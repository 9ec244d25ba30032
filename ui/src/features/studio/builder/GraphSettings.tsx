/**
 * The graph's own settings, shown when nothing is selected: its name and description, the step
 * limit, which state keys a run may be started with, which key holds the answer, and the state
 * schema (the inspector helper's editor).
 */

import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { BuilderProblem, WorkflowDefinition } from "./definition";
import type { PlacedProblem } from "./problems";
import { FieldProblems } from "./FieldProblems";
import { problemsUnder, stateProblems } from "./problems";
import { StateSchemaEditor } from "./inspector/StateSchemaEditor";

interface Props {
  definition: WorkflowDefinition;
  problems: readonly PlacedProblem[];
  readOnly: boolean;
  onChange: (patch: Partial<WorkflowDefinition>, group?: string) => void;
}

export function GraphSettings({ definition, problems, readOnly, onChange }: Props) {
  const { t } = useTranslation("builder");
  const id = useId();
  const graph: BuilderProblem[] = problems
    .filter((p) => p.place.kind === "graph")
    .map(({ path, message }) => ({ path, message }));
  const keys = Object.keys(definition.state);
  const inputs = definition.inputs ?? null;
  return (
    <section className="builder-graph-settings" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="builder-panel-title">
        {t("graph.title")}
      </h2>
      <p className="muted builder-hint">{t("graph.hint")}</p>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-name`}>
          {t("graph.name")}
        </label>
        <input
          id={`${id}-name`}
          type="text"
          value={definition.name ?? ""}
          readOnly={readOnly}
          onChange={(e) => onChange({ name: e.target.value || null }, "graph:name")}
        />
        <FieldProblems problems={problemsUnder(graph, "/name")} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-description`}>
          {t("graph.description")}
        </label>
        <textarea
          id={`${id}-description`}
          rows={2}
          value={definition.description ?? ""}
          readOnly={readOnly}
          onChange={(e) => onChange({ description: e.target.value || null }, "graph:description")}
        />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-steps`}>
          {t("graph.maxSteps")}
        </label>
        <input
          id={`${id}-steps`}
          type="number"
          min={1}
          max={10000}
          inputMode="numeric"
          value={definition.max_steps ?? ""}
          placeholder="25"
          readOnly={readOnly}
          aria-describedby={`${id}-steps-hint`}
          onChange={(e) => {
            const value = e.target.value === "" ? undefined : Number(e.target.value);
            onChange({ max_steps: value }, "graph:max_steps");
          }}
        />
        <span id={`${id}-steps-hint`} className="field-hint muted">
          {t("graph.maxStepsHint")}
        </span>
        <FieldProblems problems={problemsUnder(graph, "/max_steps")} />
      </div>
      <fieldset className="builder-fieldset" disabled={readOnly}>
        <legend>{t("graph.inputs")}</legend>
        <label className="builder-radio">
          <input
            type="radio"
            name={`${id}-inputs`}
            checked={inputs === null}
            onChange={() => onChange({ inputs: null })}
          />
          <span>{t("graph.inputsDefault")}</span>
        </label>
        <label className="builder-radio">
          <input
            type="radio"
            name={`${id}-inputs`}
            checked={inputs !== null}
            onChange={() => onChange({ inputs: keys.includes("messages") ? ["messages"] : [] })}
          />
          <span>{t("graph.inputsChosen")}</span>
        </label>
        {inputs !== null
          ? keys.map((key) => (
              <label key={key} className="builder-check builder-check--nested">
                <input
                  type="checkbox"
                  checked={inputs.includes(key)}
                  onChange={(e) =>
                    onChange({ inputs: e.target.checked ? [...inputs, key] : inputs.filter((k) => k !== key) })
                  }
                />
                <code>{key}</code>
              </label>
            ))
          : null}
        <FieldProblems problems={problemsUnder(graph, "/inputs")} />
      </fieldset>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-output`}>
          {t("graph.output")}
        </label>
        <select
          id={`${id}-output`}
          value={definition.output ?? ""}
          disabled={readOnly}
          onChange={(e) => onChange({ output: e.target.value || null })}
        >
          <option value="">{t("graph.outputDefault")}</option>
          {definition.output && !keys.includes(definition.output) ? (
            <option value={definition.output}>{definition.output}</option>
          ) : null}
          {keys.map((key) => (
            <option key={key} value={key}>
              {key}
            </option>
          ))}
        </select>
        <FieldProblems problems={problemsUnder(graph, "/output")} />
      </div>
      <section className="builder-state" aria-labelledby={`${id}-state`}>
        <h3 id={`${id}-state`}>{t("graph.state")}</h3>
        <p className="muted builder-hint">{t("graph.stateHint")}</p>
        <StateSchemaEditor
          state={definition.state}
          problems={stateProblems(problems)}
          readOnly={readOnly}
          onChange={(state) => onChange({ state }, "graph:state")}
        />
      </section>
    </section>
  );
}
