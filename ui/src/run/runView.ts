/**
 * Everything the chat view shows about one run, folded from its events: the streamed
 * answer (per-node segments, so a `reset` drops only that node's text), the latest
 * thought, inline errors, the graph and the final `done`.
 */

import type { DecodedEvent, RunEvent } from "../sse/runEvents";
import { EMPTY_GRAPH, graphReducer, type GraphState } from "./graph";

export interface TextSegment {
  node: string | null;
  text: string;
}

export type RunPhase = "starting" | "streaming" | "paused" | "completed" | "failed";

export type DoneEvent = Extract<RunEvent, { type: "done" }>;

export interface RunError {
  node: string | null;
  message: string;
}

export interface RunView {
  phase: RunPhase;
  segments: readonly TextSegment[];
  thought: string | null;
  errors: readonly RunError[];
  graph: GraphState;
  done: DoneEvent | null;
  /** The highest stream offset applied; a reconnect resumes after it. */
  lastOffset: number | null;
}

export const INITIAL_RUN_VIEW: RunView = {
  phase: "starting",
  segments: [],
  thought: null,
  errors: [],
  graph: EMPTY_GRAPH,
  done: null,
  lastOffset: null,
};

function appendText(segments: readonly TextSegment[], node: string | null, text: string): TextSegment[] {
  const index = segments.findIndex((s) => s.node === node);
  if (index === -1) return [...segments, { node, text }];
  const next = segments.slice();
  next[index] = { node, text: segments[index]!.text + text };
  return next;
}

function applyEvent(view: RunView, event: RunEvent): RunView {
  const graph = graphReducer(view.graph, event);
  const base = graph === view.graph ? view : { ...view, graph };
  const live: RunPhase = view.phase === "starting" || view.phase === "paused" ? "streaming" : view.phase;
  switch (event.type) {
    case "message":
      return event.content
        ? { ...base, phase: live, segments: appendText(view.segments, event.node, event.content) }
        : base;
    case "reset":
      return { ...base, segments: view.segments.filter((s) => s.node !== event.node) };
    case "thought":
      return { ...base, phase: live, thought: event.content || null };
    case "error":
      return { ...base, errors: [...view.errors, { node: event.node, message: event.content || "error" }] };
    case "node_failed":
      return { ...base, phase: live };
    case "paused":
      return { ...base, phase: "paused" };
    case "done":
      return { ...base, phase: event.status === "completed" ? "completed" : "failed", thought: null, done: event };
    case "node_started":
    case "node_completed":
    case "retrying":
    case "waiting_for_human":
      return { ...base, phase: live };
    case "unknown":
      return base;
  }
}

/** Fold one decoded event into the view; an offset at or below the last applied is a duplicate. */
export function runReducer(view: RunView, decoded: DecodedEvent): RunView {
  const { offset, event } = decoded;
  if (offset !== null && view.lastOffset !== null && offset <= view.lastOffset) return view;
  const next = applyEvent(view, event);
  return offset === null ? next : { ...next, lastOffset: offset };
}

/** The answer text to show: the final answer once done, else the streamed segments. */
export function runText(view: RunView): string {
  const streamed = view.segments
    .map((s) => s.text)
    .filter((t) => t.length > 0)
    .join("\n\n");
  const answer = view.done?.answer;
  return answer && answer.trim() ? answer : streamed;
}
