/** Validation problems no field shows (about the node as a whole, or a place the form has no field for). */

import type { BuilderProblem } from "../definition";

export function ProblemList({ label, problems }: { label: string; problems: readonly BuilderProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="inspector-problems" aria-label={label}>
      {problems.map((problem, index) => (
        <li key={`${problem.path}-${index}`} lang={problem.lang ?? "en"}>
          {problem.path ? <code>{problem.path}</code> : null} {problem.message}
        </li>
      ))}
    </ul>
  );
}
