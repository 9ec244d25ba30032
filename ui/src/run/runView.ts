/**
 * The state of one run, folded from its events: its phase, the latest thought, inline
 * errors, the person it waits for, the node runs the graph shows and the final `done`.
 * What the agent says is its own fold (`speech.ts`, shared by the chat and the builder's
 * sandbox); the timeline of control events is the chat's (`features/chat/timeline.ts`).
 */

import type { DecodedEvent, RunEvent } from "../sse/runEvents";
import { NO_RUNS, nodeRunsReducer, type NodeRuns } from "./nodeRuns";

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

/** The budget the run waits for (it goes on when the budget is raised or at `periodEnd`). */
export interface BudgetWait {
  node: string;
  /** tenant, agent, user or user_personal */
  scope: string | null;
  periodEnd: string | null;
}

export interface RunView {
  phase: RunPhase;
  thought: string | null;
  errors: readonly RunError[];
  waiting: WaitingTask | null;
  budget: BudgetWait | null;
  /** The node runs so far, which the graph lays over the agent's own nodes and edges. */
  graph: NodeRuns;
  done: DoneEvent | null;
  /** The highest stream offset applied; a reconnect resumes after it. */
  lastOffset: number | null;
}

export const INITIAL_RUN_VIEW: RunView = {
  phase: "starting",
  thought: null,
  errors: [],
  waiting: null,
  budget: null,
  graph: NO_RUNS,
  done: null,
  lastOffset: null,
};

/** Phases in which the run is still going and can be controlled. */
export function isLivePhase(phase: RunPhase): boolean {
  return phase === "starting" || phase === "streaming" || phase === "paused" || phase === "waiting";
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
      return event.content ? { ...base, phase: moving(view) } : base;
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
      return { ...base, phase: view.phase === "paused" ? "paused" : "waiting", waiting };
    }
    case "human_input_received":
    case "deadline_passed":
      return { ...base, ...settleWaiting(view, event.node) };
    case "waiting_for_budget": {
      const budget: BudgetWait = { node: event.node, scope: event.scope, periodEnd: event.periodEnd };
      return { ...base, phase: view.phase === "paused" ? "paused" : "waiting", budget };
    }
    case "budget_available":
      return {
        ...base,
        budget: null,
        phase: view.phase === "waiting" && !view.waiting ? "streaming" : moving(view),
      };
    case "escalated": {
      const waiting = view.waiting && view.waiting.node === event.node ? { ...view.waiting } : view.waiting;
      if (waiting && event.priority !== null) waiting.priority = event.priority;
      return { ...base, waiting };
    }
    case "paused":
      return { ...base, phase: "paused" };
    case "resumed":
      return { ...base, phase: view.waiting || view.budget ? "waiting" : "streaming" };
    case "cancelled":
      return { ...base, phase: "cancelled", waiting: null, budget: null };
    case "done":
      return { ...base, phase: finalPhase(event.status), thought: null, waiting: null, budget: null, done: event };
    case "reset": // a retried attempt's words: the chat's speech drops them
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
