/**
 * The run the graph panel shows, as the graph needs it: its node runs, its stage and how to
 * sum it up. The chat passes its own `ShownRun`; this module names only the fields it reads,
 * so the shared `run` module does not depend on the chat feature.
 */

import type { ExecutionDetail } from "../api/executions";
import type { ApiError } from "../api/problem";
import { stageOfPhase, stageOfStatus, type RunStage } from "./graph/overlay";
import { NO_RUNS, nodeRunsFromRecords, type NodeRuns } from "./nodeRuns";
import type { RunPhase, RunView } from "./runView";

export interface LiveRunLike {
  executionId: string | null;
  active: boolean;
  reconnecting: boolean;
  problem: ApiError | null;
  view: RunView;
}

export type ShownRunLike =
  | { kind: "live"; run: LiveRunLike }
  | {
      kind: "record";
      executionId: string;
      record: { status: string; data: ExecutionDetail | null; error: ApiError | null };
    }
  | { kind: "none" };

/** What the summary line says first (a key under `phase.` in the `run` catalog, or a message key). */
export type Headline = RunPhase | "idle" | "running" | "lostConnection" | "notStarted" | "loadingRun" | "runError";

export interface RunOnGraph {
  executionId: string | null;
  runs: NodeRuns;
  stage: RunStage;
  headline: Headline;
  reconnecting: boolean;
  /** The recorded run, when that is what is shown. */
  detail: ExecutionDetail | null;
  /** Whether the run is followed live (its records are still being written). */
  live: boolean;
}

const RECORD_HEADLINE: Record<string, Headline> = {
  pending: "starting",
  running: "running",
  paused: "paused",
  interrupted: "waiting",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled",
};

/** The shown run (live, recorded or none) as the graph panel draws and sums it up. */
export function runOnGraph(shown: ShownRunLike): RunOnGraph {
  if (shown.kind === "live") {
    const { run } = shown;
    const headline: Headline = run.problem ? (run.executionId ? "lostConnection" : "notStarted") : run.view.phase;
    return {
      executionId: run.executionId,
      runs: run.view.graph,
      stage: run.problem && !run.executionId ? "idle" : stageOfPhase(run.view.phase),
      headline,
      reconnecting: run.reconnecting,
      detail: null,
      live: true,
    };
  }
  if (shown.kind === "record") {
    const detail = shown.record.data;
    const headline: Headline = detail
      ? (RECORD_HEADLINE[detail.status] ?? "running")
      : shown.record.status === "error"
        ? "runError"
        : "loadingRun";
    return {
      executionId: shown.executionId,
      runs: detail ? recordedRuns(detail) : NO_RUNS,
      stage: detail ? stageOfStatus(detail.status) : "idle",
      headline,
      reconnecting: false,
      detail,
      live: false,
    };
  }
  return {
    executionId: null,
    runs: NO_RUNS,
    stage: "idle",
    headline: "idle",
    reconnecting: false,
    detail: null,
    live: false,
  };
}

// One NodeRuns per record object, so the graph over an unchanged record is not worked out again.
const RECORDED = new WeakMap<ExecutionDetail, NodeRuns>();

/** The node runs of a recorded run (durations, tokens and errors included). */
export function recordedRuns(detail: ExecutionDetail): NodeRuns {
  let runs = RECORDED.get(detail);
  if (!runs) {
    runs = nodeRunsFromRecords(detail.nodes, detail.status);
    RECORDED.set(detail, runs);
  }
  return runs;
}
