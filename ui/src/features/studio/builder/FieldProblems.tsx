/** A field's validation problems, as the server wrote them (English), tied to the field for screen readers. */

import type { BuilderProblem } from "./definition";

export function FieldProblems({ id, problems }: { id?: string; problems: readonly BuilderProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul id={id} className="builder-field-problems" lang="en">
      {problems.map((problem, index) => (
        <li key={`${problem.path}-${index}`} className="field-error">
          {problem.message}
        </li>
      ))}
    </ul>
  );
}
