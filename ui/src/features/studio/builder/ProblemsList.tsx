/**
 * Every problem of the last check, each naming where it is: a click selects that node or edge
 * and centres the canvas on it. A problem about a state key offers its fix: declare the key, or
 * give a key that nothing writes a null default.
 */

import { useTranslation } from "react-i18next";
import { END, START, edgeTargets, type WorkflowDefinition } from "./definition";
import { stateKeyFix, type PlacedProblem, type ProblemPlace, type StateKeyFix } from "./problems";

interface Props {
  id: string;
  problems: readonly PlacedProblem[];
  definition: WorkflowDefinition;
  readOnly: boolean;
  onShow: (place: ProblemPlace) => void;
  onFix: (fix: StateKeyFix) => void;
}

export function ProblemsList({ id, problems, definition, readOnly, onShow, onFix }: Props) {
  const { t } = useTranslation("builder");
  const terminal = (name: string) => (name === START ? t("canvas.start") : name === END ? t("canvas.end") : name);
  const where = (place: ProblemPlace): string => {
    if (place.kind === "node") return t("problems.node", { name: place.name });
    if (place.kind === "edge") {
      const edge = definition.edges[place.index];
      if (!edge) return t("problems.graph");
      return t("problems.edge", {
        source: terminal(edge.source),
        targets: edgeTargets(edge).map(terminal).join(", ") || "—",
      });
    }
    return place.kind === "state" ? t("problems.state") : t("problems.graph");
  };
  return (
    <section id={id} className="builder-problems" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="builder-panel-title">
        {t("problems.title", { count: problems.length })}
      </h2>
      {problems.length === 0 ? <p className="muted">{t("problems.none")}</p> : null}
      <ul className="builder-problem-list">
        {problems.map((problem, index) => {
          const fix = readOnly ? null : usefulFix(problem, definition);
          return (
            <li key={`${problem.pointer}-${index}`} className="builder-problem">
              <button type="button" className="builder-problem-place" onClick={() => onShow(problem.place)}>
                <strong>{where(problem.place)}</strong> <span lang={problem.lang}>{problem.message}</span>
                {problem.path ? <code className="builder-problem-path">{problem.path}</code> : null}
              </button>
              {fix ? (
                <button type="button" className="button button--small" onClick={() => onFix(fix)}>
                  {t(fix.fix === "declare" ? "problems.declare" : "problems.giveDefault", { key: fix.key })}
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The fix for a problem, while it would still change something (the next check may lag behind an edit). */
function usefulFix(problem: PlacedProblem, definition: WorkflowDefinition): StateKeyFix | null {
  const fix = stateKeyFix(problem);
  if (!fix) return null;
  const current = definition.state[fix.key];
  if (fix.fix === "declare") return current ? null : fix;
  return current && !("default" in current) ? fix : null;
}
