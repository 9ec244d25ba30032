/** The reviewer inbox: human-intervention tasks. */

import type { ApiClient } from "./client";
import type { Page, Schemas } from "./types";

/** The server checks a task status filter with a pattern, which the OpenAPI types cannot carry. */
export type TaskStatus = "pending" | "in_progress" | "completed" | "cancelled" | "expired";

/** A task in the inbox (priority 1, low, to 10, urgent; `assigned_to`: a user id or role name). */
export type ReviewTask = Schemas["TaskPublic"];

export type ReviewTaskDetail = Schemas["TaskDetail"];

/** The filters the UI offers; `listTasks` turns them into the query (`mine` only when true). */
export interface TaskFilter {
  status?: TaskStatus;
  min_priority?: number;
  due_within_hours?: number;
  mine?: boolean;
}

export type CompletionResult = Schemas["CompletionResult"];

export const OPEN_TASK_STATUSES: readonly string[] = ["pending", "in_progress"];

const taskPath = (id: string) => `/api/v1/reviews/tasks/${encodeURIComponent(id)}`;

export function listTasks(client: ApiClient, filter: TaskFilter = {}, signal?: AbortSignal): Promise<Page<ReviewTask>> {
  const query = {
    status: filter.status,
    min_priority: filter.min_priority,
    due_within_hours: filter.due_within_hours,
    mine: filter.mine ? "true" : undefined,
    limit: 100,
  };
  return client.request<Page<ReviewTask>>("/api/v1/reviews/tasks", { query, signal });
}

export function getTask(client: ApiClient, taskId: string, signal?: AbortSignal): Promise<ReviewTaskDetail> {
  return client.request<ReviewTaskDetail>(taskPath(taskId), { signal });
}

export function claimTask(client: ApiClient, taskId: string): Promise<ReviewTaskDetail> {
  return client.request<ReviewTaskDetail>(`${taskPath(taskId)}/claim`, { method: "POST" });
}

export function releaseTask(client: ApiClient, taskId: string): Promise<ReviewTaskDetail> {
  return client.request<ReviewTaskDetail>(`${taskPath(taskId)}/release`, { method: "POST" });
}

/**
 * Answer a task. `idempotencyKey` identifies this attempt: resending it after a lost
 * response is safe; another key after someone else's answer gets a 409.
 */
export function completeTask(
  client: ApiClient,
  taskId: string,
  body: { input: Record<string, unknown>; completion_note?: string },
  idempotencyKey: string,
): Promise<CompletionResult> {
  return client.request<CompletionResult>(`${taskPath(taskId)}/complete`, {
    json: body,
    headers: { "Idempotency-Key": idempotencyKey },
  });
}

/** Cancel an open task (admins); the waiting node fails. */
export async function cancelTask(client: ApiClient, taskId: string): Promise<void> {
  await client.request<void>(`${taskPath(taskId)}/cancel`, { method: "POST" });
}

/** A version waiting for review, with its agent's name. */
export type Submission = Schemas["SubmissionPublic"];

const submissionPath = (id: string) => `/api/v1/reviews/versions/${encodeURIComponent(id)}`;

/** Versions waiting for review, oldest first. */
export function listSubmissions(client: ApiClient, signal?: AbortSignal): Promise<Submission[]> {
  return client.request<Submission[]>("/api/v1/reviews/versions", { signal });
}

/** Publish a submitted version (it becomes its agent's current version); `note` is optional. */
export function approveSubmission(client: ApiClient, versionId: string, note: string | null): Promise<unknown> {
  return client.request(`${submissionPath(versionId)}/approve`, { method: "POST", json: { note } });
}

/** Send a submitted version back to its developer with the reason. */
export function rejectSubmission(client: ApiClient, versionId: string, reason: string): Promise<unknown> {
  return client.request(`${submissionPath(versionId)}/reject`, { method: "POST", json: { reason } });
}
