/**
 * Approval policies on review tasks: who may answer, how many must agree, who has answered, and
 * handing one's part to someone else (delegation).
 *
 * The shapes are the server's, generated from its OpenAPI document.
 */

import type { ApiClient } from "./client";
import type { CompletionResult, ReviewTask, ReviewTaskDetail } from "./reviews";
import type { Schemas } from "./types";

/** Who may answer a stage: role names, group names and users (ids or e-mails). */
export type Assignees = Schemas["Assignees"];

/** The stage a policy task waits on: its index (0-based) and name, the quorum M, N (`of`, null for roles or groups), assignees and delegations. */
export type TaskPolicy = Schemas["TaskPolicy"];

/** One person's answer to the current stage (`on_behalf_of`: whose part it was, when delegated). */
export type TaskAnswer = Schemas["AnswerPublic"];

/** A task in the list, with its policy (null for a plain task) and tally. */
export type ApprovalTask = ReviewTask;

/** A task as its page shows it, with the answers so far and whether the caller may answer (`can_answer`). */
export type ApprovalTaskDetail = ReviewTaskDetail;

/** What an accepted answer says about the stage: `decided`, `agreements`, `still_needed`. */
export type PolicyCompletion = Pick<CompletionResult, "decided" | "agreements" | "still_needed">;

/** Hand the caller's part of a policy task to another person (403 if not eligible, 409 once answered or decided). */
export function delegateTask(
  client: ApiClient,
  taskId: string,
  body: Schemas["DelegateRequest"],
): Promise<ApprovalTaskDetail> {
  return client.request<ApprovalTaskDetail>(`/api/v1/reviews/tasks/${encodeURIComponent(taskId)}/delegate`, {
    json: body,
  });
}
