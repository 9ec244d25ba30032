/**
 * Where each validation problem belongs. The server names problems by JSON pointer into the
 * definition it checked (`/body/workflow_definition/nodes/0/config/model`); here each lands on
 * the node, edge, state schema or graph it names, with the rest of the pointer relative to it
 * (`/config/model`), so the element shows a badge and the form its field's message.
 *
 * The definition may have changed since it was checked (a check takes a moment): a problem is
 * carried to the element that is still the same object, or else still at the same place, and
 * dropped when neither holds — the next check, a moment later, places it again.
 */

import type { i18n as I18n } from "i18next";
import type { ProblemFieldError } from "../../../api/problem";
import { problemText } from "../../../lib/problemText";
import type { BuilderProblem, WorkflowDefinition } from "./definition";

/** Where the validation route's pointers start. */
export const DEFINITION_PREFIX = "/body/workflow_definition";

export type ProblemPlace =
  { kind: "node"; name: string } | { kind: "edge"; index: number } | { kind: "state" } | { kind: "graph" };

export interface PlacedProblem {
  place: ProblemPlace;
  /** The pointer relative to the element (`/config/model`; `""` for the element itself). */
  path: string;
  /** The pointer into the definition (`/nodes/0/config/model`). */
  pointer: string;
  /** What to show: the code's text in the reader's language once localized, else the server's. */
  message: string;
  /** The server's message (English), kept for what still reads it. */
  serverMessage: string;
  code?: string;
  params?: Record<string, unknown>;
  /** The language of `message`. */
  lang: string;
}

const NODE = /^\/nodes\/(\d+)((?:\/.*)?)$/;
const EDGE = /^\/edges\/(\d+)((?:\/.*)?)$/;
const STATE = /^\/state((?:\/.*)?)$/;

/** A pointer's parts, unescaped (`~1` is `/`, `~0` is `~`). */
export function pointerParts(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** A pointer from parts, escaped. */
export function toPointer(parts: readonly (string | number)[]): string {
  return parts.map((part) => "/" + String(part).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** The node `checked.nodes[index]` is now, by name. */
function nodeNow(checked: WorkflowDefinition, current: WorkflowDefinition, index: number): string | null {
  const then = checked.nodes[index];
  if (!then) return null;
  const same = current.nodes.find((n) => n === then) ?? current.nodes.find((n) => n.name === then.name);
  return same ? same.name : null;
}

/** The index `checked.edges[index]` has now. */
function edgeNow(checked: WorkflowDefinition, current: WorkflowDefinition, index: number): number | null {
  const then = checked.edges[index];
  if (!then) return null;
  const same = current.edges.indexOf(then);
  if (same >= 0) return same;
  return current.edges[index]?.source === then.source ? index : null;
}

/**
 * The server's problems about `checked`, placed on the elements of `current`. Pointers outside
 * the definition (the request itself) belong to the whole graph.
 */
export function placeProblems(
  errors: readonly ProblemFieldError[],
  checked: WorkflowDefinition,
  current: WorkflowDefinition,
): PlacedProblem[] {
  const placed: PlacedProblem[] = [];
  for (const { path, message, code, params } of errors) {
    const pointer = path.startsWith(DEFINITION_PREFIX) ? path.slice(DEFINITION_PREFIX.length) : path;
    const said = {
      pointer,
      message,
      serverMessage: message,
      lang: "en",
      ...(code ? { code } : {}),
      ...(params ? { params } : {}),
    };
    const node = NODE.exec(pointer);
    const edge = EDGE.exec(pointer);
    const state = STATE.exec(pointer);
    if (node) {
      const name = nodeNow(checked, current, Number(node[1]));
      if (name !== null) placed.push({ place: { kind: "node", name }, path: node[2] ?? "", ...said });
    } else if (edge) {
      const index = edgeNow(checked, current, Number(edge[1]));
      if (index !== null) placed.push({ place: { kind: "edge", index }, path: edge[2] ?? "", ...said });
    } else if (state) {
      placed.push({ place: { kind: "state" }, path: state[1] ?? "", ...said });
    } else {
      placed.push({ place: { kind: "graph" }, path: pointer, ...said });
    }
  }
  return placed;
}

/** The problems with their messages in the reader's language (by code; the server's English otherwise). */
export function localizeProblems(problems: readonly PlacedProblem[], i18n: I18n): PlacedProblem[] {
  return problems.map((problem) => {
    const { text, lang } = problemText({ ...problem, message: problem.serverMessage }, i18n);
    return { ...problem, message: text, lang };
  });
}

/** What the inspector's forms take of a placed problem: the path relative to its element, and the text. */
const forElement = ({ path, message, code, params, lang }: PlacedProblem): BuilderProblem => ({
  path,
  message,
  lang,
  ...(code ? { code } : {}),
  ...(params ? { params } : {}),
});

/** The problems of one node, relative to it (what the inspector takes). */
export function nodeProblems(problems: readonly PlacedProblem[], name: string): BuilderProblem[] {
  return problems.filter((p) => p.place.kind === "node" && p.place.name === name).map(forElement);
}

/** The problems of one edge, relative to it (`/condition`, `/mapping/yes`, …). */
export function edgeProblems(problems: readonly PlacedProblem[], index: number): BuilderProblem[] {
  return problems.filter((p) => p.place.kind === "edge" && p.place.index === index).map(forElement);
}

/** The state schema's problems, relative to `/state`. */
export function stateProblems(problems: readonly PlacedProblem[]): BuilderProblem[] {
  return problems.filter((p) => p.place.kind === "state").map(forElement);
}

/** Problems whose path is `path` or inside it. */
export function problemsUnder(problems: readonly BuilderProblem[], path: string): BuilderProblem[] {
  return problems.filter((p) => p.path === path || p.path.startsWith(`${path}/`));
}

const UNDECLARED = /^(?:writes|reads) '([A-Za-z_][A-Za-z0-9_]*)', which is not a declared state key$/;
const UNKNOWN = /^unknown state key '([A-Za-z_][A-Za-z0-9_]*)'$/;
const NEVER_WRITTEN =
  /^reads state key '([A-Za-z_][A-Za-z0-9_]*)', which no node writes, no input provides and has no default$/;

/** A fix the problems list offers: declare a missing state key, or give a key nothing writes a default. */
export interface StateKeyFix {
  key: string;
  fix: "declare" | "default";
}

/** Codes of problems fixed by declaring the key they name, or by giving it a default. */
const DECLARE_CODES = new Set(["state.read_undeclared", "state.write_undeclared", "state.unknown_key"]);
const DEFAULT_CODE = "state.read_never_written";

/**
 * The fix for a problem about a state key (`state.read_undeclared` …, or by the server's wording:
 * `writes 'route', which is not a declared state key`; `reads state key 'route', which no node
 * writes…`), or null for any other problem.
 */
export function stateKeyFix(
  problem: string | { serverMessage: string; code?: string; params?: Record<string, unknown> },
): StateKeyFix | null {
  if (typeof problem !== "string") {
    const key = problem.params?.key;
    if (problem.code && typeof key === "string") {
      if (DECLARE_CODES.has(problem.code)) return { key, fix: "declare" };
      if (problem.code === DEFAULT_CODE) return { key, fix: "default" };
    }
  }
  const message = typeof problem === "string" ? problem : problem.serverMessage;
  const missing = UNDECLARED.exec(message)?.[1] ?? UNKNOWN.exec(message)?.[1];
  if (missing) return { key: missing, fix: "declare" };
  const unwritten = NEVER_WRITTEN.exec(message)?.[1];
  return unwritten ? { key: unwritten, fix: "default" } : null;
}
