/** Runs: read one with its node executions, control it, retry it. */

import type { ApiClient } from "./client";
import type { Page, Schemas, WithOptional } from "./types";

/**
 * One node task of a run, as recorded (status: running, completed, failed, skipped, waiting or
 * cancelled). Fields the UI does not read yet are optional, so records written by hand need not
 * invent them; `started_at` stays nullable as the UI has always read it.
 */
export type NodeExecution = Omit<
  WithOptional<Schemas["NodeExecutionPublic"], "cost_estimate" | "input_state" | "output_state" | "logs">,
  "started_at"
> & { started_at: string | null };

/**
 * A run (status: pending, running, completed, failed, paused, interrupted or cancelled). Fields
 * the UI does not read yet are optional, as for `NodeExecution`.
 */
export type ExecutionSummary = WithOptional<
  Schemas["ExecutionPublic"],
  "cost_estimate" | "final_result" | "paused_at" | "workflow_id"
>;

/** A run with its node executions, in step order. */
export type ExecutionDetail = ExecutionSummary & { nodes: NodeExecution[] };

export type RetryResult = Schemas["RetryResult"];

export type RunControl = "pause" | "resume" | "cancel";

/** Statuses of a run that is still going (it may be followed and controlled). */
export const ACTIVE_RUN_STATUSES: readonly string[] = ["pending", "running", "paused", "interrupted"];

/** Statuses after which "retry from the failed step" is offered. */
export const RETRYABLE_RUN_STATUSES: readonly string[] = ["failed", "cancelled"];

const executionPath = (id: string) => `/api/v1/executions/${encodeURIComponent(id)}`;

export function getExecution(client: ApiClient, executionId: string, signal?: AbortSignal): Promise<ExecutionDetail> {
  return client.request<ExecutionDetail>(executionPath(executionId), { signal });
}

/** Runs, newest first (a chat's: `chat_id`). */
export function listExecutions(
  client: ApiClient,
  params: { chat_id?: string; status?: string; limit?: number; offset?: number },
  signal?: AbortSignal,
): Promise<Page<ExecutionSummary>> {
  return client.request<Page<ExecutionSummary>>("/api/v1/executions", { query: params, signal });
}

/** Pause, resume or stop a run (202; the run's stream reports the effect). */
export async function controlRun(client: ApiClient, executionId: string, action: RunControl): Promise<void> {
  await client.request<void>(`${executionPath(executionId)}/${action}`, { method: "POST" });
}

/** Start a new run that re-runs a failed one from its failed node. */
export function retryRun(client: ApiClient, executionId: string): Promise<RetryResult> {
  return client.request<RetryResult>(`${executionPath(executionId)}/retry`, { method: "POST" });
}
