/**
 * How a run ended, as the chat words it. A stop is the person's choice, not a failure: what
 * a node or the stream reported while the stopped run was torn down is not shown as its cause.
 */

import type { RunError } from "../../run/runView";
import type { ChatEntry, LiveRun } from "./chatState";

export type RunOutcome = "completed" | "failed" | "stopped";

function outcomeOf(status: string | null | undefined): RunOutcome | null {
  if (status === "completed") return "completed";
  if (status === "cancelled") return "stopped";
  if (status === "failed") return "failed";
  return null;
}

/** The live run's outcome once it has ended (a `cancelled` event already means stopped). */
export function runOutcome(run: LiveRun | null): RunOutcome | null {
  if (!run) return null;
  if (run.view.phase === "cancelled") return "stopped";
  return outcomeOf(run.view.done?.status);
}

/**
 * The run's errors worth showing. A stopped run did not fail: whatever a node or the stream
 * reported while it was being torn down ("workflow execution already completed") is not news.
 */
export function visibleErrors(run: LiveRun | null): readonly RunError[] {
  if (!run || runOutcome(run) === "stopped") return [];
  return run.view.errors;
}

export interface RunEnding {
  outcome: "failed" | "stopped";
  /** The failed node, or the node a stop interrupted, when known. */
  node: string | null;
  /** Why it failed (never set for a stop). */
  error: string | null;
}

/** How a failed or stopped run ended, from the live run and the run's record. */
export function runEnding(entry: ChatEntry, executionId: string): RunEnding {
  const run = entry.run;
  const live = run && run.executionId === executionId && run.view.done ? run : null;
  const detail = entry.records[executionId]?.data ?? null;
  const outcome = live ? runOutcome(live) : outcomeOf(detail?.status);
  if (outcome === "stopped") {
    // The node the stop interrupted. Its record may say "failed" (its activity could no longer
    // report to the ended run): that is the stop's doing, not the node's, so no error is shown.
    const open = detail?.nodes.filter((n) => n.status !== "completed" && n.status !== "skipped") ?? [];
    return { outcome: "stopped", node: open[open.length - 1]?.node_name ?? null, error: null };
  }
  if (live) {
    const lastError = live.view.errors[live.view.errors.length - 1];
    return { outcome: "failed", node: lastError?.node ?? null, error: lastError?.message ?? null };
  }
  const failed = detail?.nodes.find((n) => n.status === "failed");
  const info = detail?.error_info;
  const message = info && typeof info.message === "string" ? info.message : null;
  return { outcome: "failed", node: failed?.node_name ?? null, error: failed?.error_message ?? message };
}
