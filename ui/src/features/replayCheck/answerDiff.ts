/**
 * The answers' unified diff (Python's `difflib.unified_diff`, recorded → candidate) split into
 * lines a person reads: added, removed, unchanged, and the hunk and file headers. Pure.
 */

export type DiffLineKind = "added" | "removed" | "context" | "hunk" | "file";

export interface DiffLine {
  kind: DiffLineKind;
  /** The line without its one-character mark (headers keep their text). */
  text: string;
}

/** What one line of a unified diff is. File headers (`---`/`+++`) come before the first hunk only. */
export function classifyDiffLine(line: string, inHunk: boolean): DiffLine {
  if (line.startsWith("@@")) return { kind: "hunk", text: line };
  if (!inHunk && (line.startsWith("--- ") || line.startsWith("+++ "))) return { kind: "file", text: line };
  if (line.startsWith("+")) return { kind: "added", text: line.slice(1) };
  if (line.startsWith("-")) return { kind: "removed", text: line.slice(1) };
  // A context line starts with a space; difflib's "\ No newline" note reads as context too.
  return { kind: "context", text: line.startsWith(" ") ? line.slice(1) : line };
}

/** Every line of the diff, classified; an empty diff has none. */
export function diffLines(diff: string): DiffLine[] {
  if (!diff) return [];
  const lines = diff.replace(/\n$/, "").split("\n");
  const out: DiffLine[] = [];
  let inHunk = false;
  for (const line of lines) {
    const classified = classifyDiffLine(line, inHunk);
    if (classified.kind === "hunk") inHunk = true;
    out.push(classified);
  }
  return out;
}
