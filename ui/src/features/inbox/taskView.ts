/** How the inbox describes a task: urgency, deadline, who holds it. */

import type { ReviewTask } from "../../api/reviews";
import { OPEN_TASK_STATUSES } from "../../api/reviews";
import { formatTimestamp } from "../../text/time";

export type DueState = "overdue" | "soon" | "later" | "none";

/** Past due, due within `soonHours`, later, or no deadline. Closed tasks have no deadline to meet. */
export function dueState(task: Pick<ReviewTask, "due_at" | "status">, now: number, soonHours = 4): DueState {
  if (!task.due_at || !OPEN_TASK_STATUSES.includes(task.status)) return "none";
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

/** Priority 1–10 in words. */
export function priorityLabel(priority: number): string {
  if (priority >= 8) return "urgent";
  if (priority >= 5) return "normal";
  return "low";
}

export const TASK_STATUS_LABEL: Record<string, string> = {
  pending: "open",
  in_progress: "claimed",
  completed: "completed",
  cancelled: "cancelled",
  expired: "expired",
};

/** The inbox order: priority (highest first), then due time (soonest first, none last), then age. */
export function compareTasks(a: ReviewTask, b: ReviewTask): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const da = a.due_at ? Date.parse(a.due_at) : Infinity;
  const db = b.due_at ? Date.parse(b.due_at) : Infinity;
  if (da !== db) return da - db;
  return Date.parse(a.created_at) - Date.parse(b.created_at);
}

/** "Mar 3, 10:00: priority 5 → 8, reassigned to ops (deadline passed)". */
export function describeEscalation(
  step: Record<string, unknown>,
  formatAt: (iso: string) => string = formatTimestamp,
): string {
  const text = (key: string) =>
    typeof step[key] === "string" || typeof step[key] === "number" ? String(step[key]) : null;
  const parts: string[] = [];
  const from = text("from_priority");
  const to = text("to_priority");
  if (from && to && from !== to) parts.push(`priority ${from} → ${to}`);
  const assignee = text("to_assignee");
  if (assignee && assignee !== text("from_assignee")) parts.push(`reassigned to ${assignee}`);
  const reason = text("reason");
  const at = text("at");
  const head = at ? `${formatAt(at)}: ` : "";
  return `${head}${parts.join(", ") || "escalated"}${reason ? ` (${reason})` : ""}`;
}
