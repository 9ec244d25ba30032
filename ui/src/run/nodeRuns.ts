/**
 * The node runs of one run (one per task: a node runs again in a later step when the graph
 * loops, and several times in one step when it fans out), folded from the run's live
 * events or read from the node executions recorded for it. The graph overlays them on the
 * agent's own nodes and edges (`graph/overlay.ts`).
 */

import type { NodeExecution } from "../api/executions";
import type { RunEvent } from "../sse/runEvents";

export type RunStatus = "running" | "completed" | "failed" | "retrying" | "waiting" | "cancelled";

export interface NodeRun {
  /** The task id (`step:node:index`); `step:node:0` when the event named none. */
  id: string;
  node: string;
  step: number;
  status: RunStatus;
  /** The latest retry attempt announced live, or the retries recorded (0 when none). */
  attempt: number;
  error: string | null;
  /** The output was reused from the failed run this one retries. */
  reused: boolean;
  /** Known only from the recorded run. */
  nodeType: string | null;
  durationMs: number | null;
  tokens: number | null;
}

export interface NodeRuns {
  /** Node runs in the order first seen. */
  nodes: readonly NodeRun[];
  /** The run was stopped: a node failing from now on fails because of the stop. */
  stopped: boolean;
}

export const NO_RUNS: NodeRuns = { nodes: [], stopped: false };

const OPEN: readonly RunStatus[] = ["running", "retrying", "waiting"];

function blankRun(id: string, node: string, step: number): NodeRun {
  return {
    id,
    node,
    step,
    status: "running",
    attempt: 0,
    error: null,
    reused: false,
    nodeType: null,
    durationMs: null,
    tokens: null,
  };
}

function upsert(state: NodeRuns, id: string, node: string, step: number, patch: Partial<NodeRun>): NodeRuns {
  const index = state.nodes.findIndex((n) => n.id === id);
  if (index === -1) return { ...state, nodes: [...state.nodes, { ...blankRun(id, node, step), ...patch }] };
  const nodes = state.nodes.slice();
  nodes[index] = { ...state.nodes[index]!, ...patch };
  return { ...state, nodes };
}

/** The id of the run an event without a task id is about: the open run of `node` at `step`, else its first. */
function runAt(state: NodeRuns, node: string, step: number): string {
  const here = state.nodes.filter((n) => n.node === node && n.step === step);
  return (here.find((n) => OPEN.includes(n.status)) ?? here[0])?.id ?? `${step}:${node}:0`;
}

/** The latest run of `node` (an open one first), if any. */
function latestRunOf(state: NodeRuns, node: string): NodeRun | null {
  let found: NodeRun | null = null;
  for (const n of state.nodes) {
    if (n.node !== node) continue;
    const better = found === null || n.step > found.step || (n.step === found.step && OPEN.includes(n.status));
    if (better) found = n;
  }
  return found;
}

function latestStep(state: NodeRuns): number {
  return state.nodes.reduce((max, n) => Math.max(max, n.step), 0);
}

/**
 * A stopped run cancels its runs still going. A run that failed did so because of the stop
 * (its activity could no longer report to the ended run: "workflow execution already
 * completed"), since a node's own failure would have failed the run instead.
 */
function stopped(run: NodeRun): NodeRun {
  return OPEN.includes(run.status) || run.status === "failed" ? { ...run, status: "cancelled", error: null } : run;
}

function stop(state: NodeRuns): NodeRuns {
  if (state.stopped) return state;
  return { stopped: true, nodes: state.nodes.map(stopped) };
}

/** Apply one run event. Events that are not about nodes leave the state unchanged. */
export function nodeRunsReducer(state: NodeRuns, event: RunEvent): NodeRuns {
  switch (event.type) {
    case "node_started":
      return upsert(state, event.taskId ?? runAt(state, event.node, event.step), event.node, event.step, {
        status: "running",
        error: null,
      });
    case "node_completed":
      return upsert(state, event.taskId ?? runAt(state, event.node, event.step), event.node, event.step, {
        status: "completed",
        error: null,
      });
    case "node_failed":
      return upsert(
        state,
        runAt(state, event.node, event.step),
        event.node,
        event.step,
        state.stopped ? { status: "cancelled", error: null } : { status: "failed", error: event.error },
      );
    case "retrying": {
      const run = latestRunOf(state, event.node);
      const step = run?.step ?? latestStep(state);
      return upsert(state, run?.id ?? `${step}:${event.node}:0`, event.node, step, {
        status: "retrying",
        attempt: event.attempt,
      });
    }
    case "waiting_for_human": {
      const run = latestRunOf(state, event.node);
      const step = event.step ?? run?.step ?? latestStep(state);
      const id = run && run.step === step ? run.id : runAt(state, event.node, step);
      return upsert(state, id, event.node, step, { status: "waiting" });
    }
    case "human_input_received":
    case "budget_available": {
      const run = latestRunOf(state, event.node);
      return run && run.status === "waiting" ? upsert(state, run.id, run.node, run.step, { status: "running" }) : state;
    }
    case "waiting_for_budget": {
      const run = latestRunOf(state, event.node);
      const step = run?.step ?? latestStep(state);
      return upsert(state, run?.id ?? runAt(state, event.node, step), event.node, step, { status: "waiting" });
    }
    case "cancelled":
      return stop(state);
    case "done":
      return event.status === "cancelled" ? stop(state) : state;
    default:
      return state;
  }
}

const RECORDED_STATUS: Record<string, RunStatus> = {
  running: "running",
  completed: "completed",
  failed: "failed",
  waiting: "waiting",
  cancelled: "cancelled",
  // A task whose output a retry reused from the failed run.
  skipped: "completed",
};

/** Run statuses after which nothing in the run changes any more. */
const FINAL_RUN_STATUSES: readonly string[] = ["completed", "failed", "cancelled"];

/**
 * The node runs of a recorded run whose status is `runStatus`. Once it has ended, a task
 * still marked running or waiting (its record was never closed) is shown as cancelled; in a
 * stopped run, a failed task is too (see `stopped`).
 */
export function nodeRunsFromRecords(records: readonly NodeExecution[], runStatus: string): NodeRuns {
  const finished = FINAL_RUN_STATUSES.includes(runStatus);
  const sorted = [...records].sort((a, b) => a.step - b.step);
  const runs: NodeRuns = {
    stopped: false,
    nodes: sorted.map((record): NodeRun => {
      let status = RECORDED_STATUS[record.status] ?? "running";
      if (finished && OPEN.includes(status)) status = "cancelled";
      return {
        id: record.task_id,
        node: record.node_name,
        step: record.step,
        status,
        attempt: record.retry_count,
        error: record.error_message,
        reused: record.status === "skipped",
        nodeType: record.node_type,
        durationMs: record.duration_ms,
        tokens: record.tokens_consumed ?? null,
      };
    }),
  };
  return runStatus === "cancelled" ? stop(runs) : runs;
}
