/**
 * The inbox's server state through TanStack Query: the task list and one task, refetched while
 * they can change under the reviewer (new tasks arrive, someone else claims, answers or cancels),
 * and the task actions as mutations that refresh both.
 */

import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { ApiError, toApiError } from "../../api/problem";
import {
  cancelTask,
  claimTask,
  completeTask,
  getTask,
  listTasks,
  releaseTask,
  type CompletionResult,
  type ReviewTaskDetail,
  type TaskFilter,
} from "../../api/reviews";
import { delegateTask, type ApprovalTaskDetail, type PolicyCompletion } from "../../api/approvals";
import { useServices } from "../../app/context";
import { isOpen } from "./taskView";

/** New tasks arrive as runs reach human nodes. */
const LIST_REFRESH_MS = 15_000;
/** An open task can be claimed, answered or cancelled by someone else at any time. */
const TASK_REFRESH_MS = 10_000;
/** Right after this page answered or cancelled, the run closes the task within moments. */
const SETTLING_REFRESH_MS = 1_000;

export const reviewKeys = {
  all: ["reviews"] as const,
  lists: () => [...reviewKeys.all, "list"] as const,
  list: (filter: TaskFilter) => [...reviewKeys.lists(), filter] as const,
  task: (taskId: string) => [...reviewKeys.all, "task", taskId] as const,
};

/** A query's or mutation's error as the problem to show (null when there is none). */
export const asProblem = (error: unknown): ApiError | null => (error ? toApiError(error) : null);

/** The tasks matching `filter`; the previous list stays on screen while a new filter loads. */
export function useTaskList(filter: TaskFilter) {
  const { client } = useServices();
  return useQuery({
    queryKey: reviewKeys.list(filter),
    queryFn: ({ signal }) => listTasks(client, filter, signal),
    refetchInterval: LIST_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
}

/**
 * One task, refetched while it is open; every second while `settling` (this page has just
 * answered or cancelled it and waits for the run to close it), else every few seconds.
 */
export function useTask(taskId: string, settling: boolean) {
  const { client } = useServices();
  return useQuery({
    queryKey: reviewKeys.task(taskId),
    queryFn: ({ signal }) => getTask(client, taskId, signal),
    refetchInterval: (query) => {
      const task = query.state.data;
      if (!task || !isOpen(task)) return false;
      return settling ? SETTLING_REFRESH_MS : TASK_REFRESH_MS;
    },
  });
}

/** After any action the task and every list may have changed. */
function refresh(queryClient: QueryClient, taskId: string): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: reviewKeys.task(taskId) }),
    queryClient.invalidateQueries({ queryKey: reviewKeys.lists() }),
  ]).then(() => undefined);
}

/** Claim or release: the answer is the task as it now is. */
export function useHoldTask(taskId: string) {
  const { client } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: "claim" | "release") =>
      action === "claim" ? claimTask(client, taskId) : releaseTask(client, taskId),
    onSuccess: (task: ReviewTaskDetail) => queryClient.setQueryData(reviewKeys.task(taskId), task),
    // A refusal (409: someone else holds it, or it is closed) means the page's copy is stale too.
    onSettled: () => refresh(queryClient, taskId),
  });
}

/** Cancel the task (admins); the run closes it a moment later. */
export function useCancelTask(taskId: string) {
  const { client } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => cancelTask(client, taskId),
    onSettled: () => refresh(queryClient, taskId),
  });
}

export interface Answer {
  input: Record<string, unknown>;
  note: string;
  /** One attempt's Idempotency-Key: the same key when resending after a lost response. */
  attemptKey: string;
}

/** Send the answer; the run records it a moment later. */
export function useCompleteTask(taskId: string) {
  const { client } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, note, attemptKey }: Answer): Promise<CompletionResult & PolicyCompletion> =>
      completeTask(client, taskId, note.trim() ? { input, completion_note: note.trim() } : { input }, attemptKey),
    onSettled: () => refresh(queryClient, taskId),
  });
}

export interface Delegation {
  toUserId: string;
  note: string;
}

/** Hand the caller's part of a policy task to someone else; the answer is the task as it now is. */
export function useDelegateTask(taskId: string) {
  const { client } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ toUserId, note }: Delegation) =>
      delegateTask(
        client,
        taskId,
        note.trim() ? { to_user_id: toUserId, note: note.trim() } : { to_user_id: toUserId },
      ),
    onSuccess: (task: ApprovalTaskDetail) => queryClient.setQueryData(reviewKeys.task(taskId), task),
    onSettled: () => refresh(queryClient, taskId),
  });
}
