/**
 * How the inbox describes a task's approval policy: the stage, the quorum, the tally and what is
 * still needed — pure functions over the task, with `t` of the `approvals` namespace.
 */

import type { TFunction } from "i18next";
import type { ApprovalTask, ApprovalTaskDetail, TaskAnswer, TaskPolicy } from "../../api/approvals";

/** The task's policy, or null for a plain single-answer task. */
export const policyOf = (task: ApprovalTask): TaskPolicy | null => task.policy ?? null;

/** "Stage 1 of 2 · Finance" (or "Stage 1 of 2" for an unnamed stage). */
export function stageLabel(policy: TaskPolicy, t: TFunction): string {
  const stage = t("approvals:stage.of", { stage: policy.stage + 1, stages: policy.stages });
  return policy.stage_name ? t("approvals:stage.named", { stage, name: policy.stage_name }) : stage;
}

/** "2 of 3 must agree", or "2 must agree" when the stage names a role or a group (N unknown). */
export function quorumLabel(policy: TaskPolicy, t: TFunction): string {
  return policy.of === null
    ? t("approvals:quorum.open", { count: policy.quorum })
    : t("approvals:quorum.ofN", { count: policy.quorum, of: policy.of });
}

/** How many more agreements the stage needs (from the server, else computed from the tally). */
export function stillNeeded(task: ApprovalTask): number {
  const policy = policyOf(task);
  if (typeof task.still_needed === "number") return task.still_needed;
  return policy ? Math.max(policy.quorum - (task.agreements ?? 0), 0) : 0;
}

/** The short tally for the task list: "1/2" (agreements of the quorum). */
export function tallyBadge(task: ApprovalTask): string | null {
  const policy = policyOf(task);
  return policy ? `${task.agreements ?? 0}/${policy.quorum}` : null;
}

/** The caller's own answer to the current stage, if they gave one (or answered for someone). */
export function myAnswer(task: ApprovalTaskDetail, myId: string): TaskAnswer | null {
  return (task.answers ?? []).find((answer) => answer.by === myId) ?? null;
}

/** Whether the page offers the answer form: a policy task says so itself; a plain one is open to all reviewers. */
export const mayAnswer = (task: ApprovalTaskDetail): boolean => (policyOf(task) ? task.can_answer === true : true);

/** The answer's comment: the completion note, else a `comment` the answer carries. */
export function answerComment(answer: TaskAnswer): string | null {
  if (answer.note?.trim()) return answer.note;
  const comment = answer.input.comment;
  return typeof comment === "string" && comment.trim() ? comment : null;
}

/** Every assignee as a labelled entry, in the order roles, groups, users. */
export function assigneeEntries(policy: TaskPolicy): { kind: "roles" | "groups" | "users"; name: string }[] {
  const kinds = ["roles", "groups", "users"] as const;
  return kinds.flatMap((kind) => (policy.assignees[kind] ?? []).map((name) => ({ kind, name })));
}

/**
 * A name for a user id the task mentions (a delegation, "on behalf of"): "you", a name the
 * server gave with the answers or delegations, else the id itself.
 */
export function nameFor(task: ApprovalTaskDetail, myId: string, you: string): (id: string) => string {
  const names = new Map<string, string>();
  for (const answer of task.answers ?? []) {
    if (answer.by_name) names.set(answer.by, answer.by_name);
    if (answer.on_behalf_of && answer.on_behalf_of_name) names.set(answer.on_behalf_of, answer.on_behalf_of_name);
  }
  for (const delegation of task.policy?.delegations ?? []) {
    if (delegation.from_name) names.set(delegation.from, delegation.from_name);
    if (delegation.to_name) names.set(delegation.to, delegation.to_name);
  }
  return (id) => (id === myId ? you : (names.get(id) ?? id));
}

/**
 * A task's status in words (`t` of the `inbox` namespace). An open policy task that has answers
 * is "in_progress" on the server; it is being answered, not claimed by anyone.
 */
export function statusText(task: ApprovalTask, t: TFunction): string {
  if (task.policy && task.status === "in_progress") return t("approvals:answering");
  return t(`inbox:status.${task.status}`, { defaultValue: task.status });
}
