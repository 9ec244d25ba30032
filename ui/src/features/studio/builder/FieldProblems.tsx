/** A field's validation problems (in the reader's language when their code has a text), tied to the field for screen readers. */

import type { BuilderProblem } from "./definition";

export function FieldProblems({ id, problems }: { id?: string; problems: readonly BuilderProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul id={id} className="builder-field-problems">
      {problems.map((problem, index) => (
        <li key={`${problem.path}-${index}`} className="field-error" lang={problem.lang ?? "en"}>
          {problem.message}
        </li>
      ))}
    </ul>
  );
}
