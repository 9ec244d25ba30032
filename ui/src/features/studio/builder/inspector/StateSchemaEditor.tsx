/**
 * The graph's state schema: one entry per state key (name, type, reducer, default,
 * description), with add, rename and remove. Problems (paths relative to `/state`) show on the
 * key and part they name; problems about the state as a whole are listed above.
 */

import { useId, type JSX } from "react";
import { useTranslation } from "react-i18next";
import type { BuilderProblem, StateKey } from "../definition";
import { ProblemList } from "./ProblemList";
import { StateKeyRow } from "./StateKeyRow";
import { addStateKey, changeStateKey, removeStateKey, renameStateKey } from "./stateSchema";
import "./inspector.css";

export interface StateSchemaEditorProps {
  state: Record<string, StateKey>;
  /** Paths relative to `/state`: `""` for the whole schema, `/messages/reducer` for one key's part. */
  problems: BuilderProblem[];
  readOnly: boolean;
  onChange: (next: Record<string, StateKey>) => void;
}

/** The problems about key `name`, relative to it. */
function keyProblems(problems: readonly BuilderProblem[], name: string): BuilderProblem[] {
  const prefix = `/${name}`;
  return problems
    .filter((problem) => problem.path === prefix || problem.path.startsWith(`${prefix}/`))
    .map((problem) => ({ ...problem, path: problem.path.slice(prefix.length) }));
}

export function StateSchemaEditor({ state, problems, readOnly, onChange }: StateSchemaEditorProps): JSX.Element {
  const { t } = useTranslation("nodeConfig");
  const id = useId();
  const names = Object.keys(state);
  const general = problems.filter((problem) => !names.some((name) => keyProblems([problem], name).length > 0));
  return (
    <section className="state-schema" aria-label={t("state.title")}>
      <p className="muted field-hint">{t("state.help")}</p>
      <ProblemList label={t("problems.state")} problems={general} />
      {names.length === 0 ? <p className="muted">{t("state.empty")}</p> : null}
      {/* Keys are listed by position: a rename keeps its row (and focus) in place. */}
      {names.map((name, index) => (
        <StateKeyRow
          key={index}
          id={`${id}-${index}`}
          name={name}
          spec={state[name] ?? {}}
          otherKeys={names.filter((other) => other !== name)}
          problems={keyProblems(problems, name)}
          readOnly={readOnly}
          onRename={(to) => onChange(renameStateKey(state, name, to))}
          onChange={(patch) => onChange(changeStateKey(state, name, patch))}
          onRemove={() => onChange(removeStateKey(state, name))}
        />
      ))}
      {readOnly ? null : (
        <button type="button" className="button button--small" onClick={() => onChange(addStateKey(state).state)}>
          {t("state.add")}
        </button>
      )}
    </section>
  );
}
