/** Runs: read one with its node executions, control it, retry it. */

import type { ApiClient } from "./client";
import type { Page } from "./types";

/** One node task of a run, as recorded. */
export interface NodeExecution {
  node_name: string;
  node_type: string;
  step: number;
  task_id: string;
  /** running, completed, failed, skipped, waiting or cancelled. */
  status: string;
  started_at: string | null;
  completed_at: string | null;
  duration_ms: number | null;
  retry_count: number;
  error_message: string | null;
  tokens_consumed: number | null;
}

export interface ExecutionSummary {
  execution_id: string;
  agent_id: string;
  agent_version_id: string;
  chat_id: string | null;
  message_id: string | null;
  /** pending, running, completed, failed, paused, interrupted or cancelled. */
  status: string;
  current_node: string | null;
  error_info: Record<string, unknown> | null;
  total_nodes: number;
  completed_nodes: number;
  failed_nodes: number;
  tokens_consumed: number;
  started_at: string;
  completed_at: string | null;
}

/** A run with its node executions, in step order. */
export interface ExecutionDetail extends ExecutionSummary {
  nodes: NodeExecution[];
}

export interface RetryResult {
  execution_id: string;
  retry_of?: string;
  reused_tasks?: string[];
}

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
