/**
 * Everything the chat view shows about one run, folded from its events: the streamed
 * answer (per-node segments, so a `reset` drops only that node's text), the latest
 * thought, inline errors, control notices (paused, waiting for a person…), the graph
 * and the final `done`.
 */

import type { DecodedEvent, RunEvent } from "../sse/runEvents";
import { NO_RUNS, nodeRunsReducer, type NodeRuns } from "./nodeRuns";

export interface TextSegment {
  node: string | null;
  text: string;
}

export type RunPhase = "starting" | "streaming" | "paused" | "waiting" | "completed" | "failed" | "cancelled";

export type DoneEvent = Extract<RunEvent, { type: "done" }>;

export interface RunError {
  node: string | null;
  message: string;
}

/** The person the run is waiting for. */
export interface WaitingTask {
  node: string;
  taskId: string | null;
  instruction: string | null;
  priority: number | null;
  dueAt: string | null;
}

export type NoticeKind = "paused" | "resumed" | "cancelled" | "waiting" | "answered" | "escalated" | "deadline";

/** A line in the run's timeline: a control or a human-intervention event. */
export interface RunNotice {
  kind: NoticeKind;
  text: string;
}

export interface RunView {
  phase: RunPhase;
  segments: readonly TextSegment[];
  thought: string | null;
  errors: readonly RunError[];
  notices: readonly RunNotice[];
  waiting: WaitingTask | null;
  /** The node runs so far, which the graph lays over the agent's own nodes and edges. */
  graph: NodeRuns;
  done: DoneEvent | null;
  /** The highest stream offset applied; a reconnect resumes after it. */
  lastOffset: number | null;
}

export const INITIAL_RUN_VIEW: RunView = {
  phase: "starting",
  segments: [],
  thought: null,
  errors: [],
  notices: [],
  waiting: null,
  graph: NO_RUNS,
  done: null,
  lastOffset: null,
};

/** Phases in which the run is still going and can be controlled. */
export function isLivePhase(phase: RunPhase): boolean {
  return phase === "starting" || phase === "streaming" || phase === "paused" || phase === "waiting";
}

function appendText(segments: readonly TextSegment[], node: string | null, text: string): TextSegment[] {
  const index = segments.findIndex((s) => s.node === node);
  if (index === -1) return [...segments, { node, text }];
  const next = segments.slice();
  next[index] = { node, text: segments[index]!.text + text };
  return next;
}

function notice(view: RunView, kind: NoticeKind, text: string): readonly RunNotice[] {
  return [...view.notices, { kind, text }];
}

function finalPhase(status: string): RunPhase {
  if (status === "completed") return "completed";
  if (status === "cancelled") return "cancelled";
  return "failed";
}

/** A node's own events mean the run is moving; only `resumed` ends a pause. */
function moving(view: RunView): RunPhase {
  return view.phase === "starting" ? "streaming" : view.phase;
}

/** The waiting node finished (answered, defaulted or failed): stop waiting. */
function settleWaiting(view: RunView, node: string): Pick<RunView, "waiting" | "phase"> {
  if (!view.waiting || view.waiting.node !== node) return { waiting: view.waiting, phase: moving(view) };
  return { waiting: null, phase: view.phase === "waiting" ? "streaming" : moving(view) };
}

function applyEvent(view: RunView, event: RunEvent): RunView {
  const graph = nodeRunsReducer(view.graph, event);
  const base = graph === view.graph ? view : { ...view, graph };
  switch (event.type) {
    case "message":
      return event.content
        ? { ...base, phase: moving(view), segments: appendText(view.segments, event.node, event.content) }
        : base;
    case "reset":
      return { ...base, segments: view.segments.filter((s) => s.node !== event.node) };
    case "thought":
      return { ...base, phase: moving(view), thought: event.content || null };
    case "error":
      return { ...base, errors: [...view.errors, { node: event.node, message: event.content || "error" }] };
    case "node_completed":
    case "node_failed":
      return { ...base, ...settleWaiting(view, event.node) };
    case "node_started":
    case "retrying":
      return { ...base, phase: moving(view) };
    case "waiting_for_human": {
      const waiting: WaitingTask = {
        node: event.node,
        taskId: event.taskId,
        instruction: event.instruction,
        priority: event.priority,
        dueAt: event.dueAt,
      };
      const text = `Waiting for a reviewer at “${event.node}”${event.instruction ? `: ${event.instruction}` : ""}`;
      return {
        ...base,
        phase: view.phase === "paused" ? "paused" : "waiting",
        waiting,
        notices: notice(view, "waiting", text),
      };
    }
    case "human_input_received":
      return {
        ...base,
        ...settleWaiting(view, event.node),
        notices: notice(view, "answered", `A reviewer answered at “${event.node}”`),
      };
    case "escalated": {
      const waiting = view.waiting && view.waiting.node === event.node ? { ...view.waiting } : view.waiting;
      if (waiting && event.priority !== null) waiting.priority = event.priority;
      const to = event.assignedTo ? ` to ${event.assignedTo}` : "";
      const priority = event.priority !== null ? ` (priority ${event.priority})` : "";
      return {
        ...base,
        waiting,
        notices: notice(view, "escalated", `The review at “${event.node}” was escalated${to}${priority}`),
      };
    }
    case "deadline_passed": {
      const outcome = event.policy === "default_branch" ? "the default answer was used" : "the run stops here";
      return {
        ...base,
        ...settleWaiting(view, event.node),
        notices: notice(view, "deadline", `No answer at “${event.node}” before the deadline: ${outcome}`),
      };
    }
    case "paused":
      return { ...base, phase: "paused", notices: notice(view, "paused", "Paused") };
    case "resumed":
      return {
        ...base,
        phase: view.waiting ? "waiting" : "streaming",
        notices: notice(view, "resumed", "Resumed"),
      };
    case "cancelled":
      return { ...base, phase: "cancelled", waiting: null, notices: notice(view, "cancelled", "Stopped") };
    case "done":
      return { ...base, phase: finalPhase(event.status), thought: null, waiting: null, done: event };
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
