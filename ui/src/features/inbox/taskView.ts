/** How the inbox describes a task: urgency, deadline, who holds it, its escalations. */

import type { TFunction } from "i18next";
import type { ReviewTask } from "../../api/reviews";
import { OPEN_TASK_STATUSES } from "../../api/reviews";
import { formatTimestamp } from "../../text/time";

export type DueState = "overdue" | "soon" | "later" | "none";

/** Whether the task still waits for an answer. */
export const isOpen = (task: Pick<ReviewTask, "status">): boolean => OPEN_TASK_STATUSES.includes(task.status);

/** Past due, due within `soonHours`, later, or no deadline. Closed tasks have no deadline to meet. */
export function dueState(task: Pick<ReviewTask, "due_at" | "status">, now: number, soonHours = 4): DueState {
  if (!task.due_at || !isOpen(task)) return "none";
  const due = Date.parse(task.due_at);
  if (!Number.isFinite(due)) return "none";
  if (due <= now) return "overdue";
  return due - now <= soonHours * 3_600_000 ? "soon" : "later";
}

export type Holder = "me" | "other" | "nobody";

export function holder(task: Pick<ReviewTask, "assigned_to">, myId: string): Holder {
  if (!task.assigned_to) return "nobody";
  return task.assigned_to === myId ? "me" : "other";
}

export type PriorityLabel = "low" | "normal" | "urgent";

/** Priority 1–10 in words (the key of its label in the `inbox` catalog, under `priority.`). */
export function priorityLabel(priority: number): PriorityLabel {
  if (priority >= 8) return "urgent";
  if (priority >= 5) return "normal";
  return "low";
}

/** The inbox order: priority (highest first), then due time (soonest first, none last), then age. */
export function compareTasks(a: ReviewTask, b: ReviewTask): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const da = a.due_at ? Date.parse(a.due_at) : Infinity;
  const db = b.due_at ? Date.parse(b.due_at) : Infinity;
  if (da !== db) return da - db;
  return Date.parse(a.created_at) - Date.parse(b.created_at);
}

/** "Mar 3, 10:00: priority 5 → 8, reassigned to ops (deadline passed)", with `t` of the `inbox` namespace. */
export function describeEscalation(
  step: Record<string, unknown>,
  t: TFunction,
  formatAt: (iso: string) => string = formatTimestamp,
): string {
  const text = (key: string) =>
    typeof step[key] === "string" || typeof step[key] === "number" ? String(step[key]) : null;
  const parts: string[] = [];
  const from = text("from_priority");
  const to = text("to_priority");
  if (from && to && from !== to) parts.push(t("inbox:escalation.priority", { from, to }));
  const assignee = text("to_assignee");
  if (assignee && assignee !== text("from_assignee")) parts.push(t("inbox:escalation.reassigned", { assignee }));
  let line = parts.join(t("inbox:escalation.separator")) || t("inbox:escalation.escalated");
  const reason = text("reason");
  if (reason) line = t("inbox:escalation.withReason", { text: line, reason });
  const at = text("at");
  return at ? t("inbox:escalation.at", { at: formatAt(at), text: line }) : line;
}
