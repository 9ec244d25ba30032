/**
 * The run's event protocol: SSE messages (as `@microsoft/fetch-event-source` parses them)
 * decoded into typed events.
 */

import type { EventSourceMessage } from "@microsoft/fetch-event-source";

/** One parsed SSE message: `id` and `event` are "" when the frame had none. */
export type SseFrame = Pick<EventSourceMessage, "id" | "event" | "data">;

export type RunEvent =
  | { type: "thought"; content: string }
  | { type: "node_started"; node: string; step: number; taskId: string | null }
  | { type: "node_completed"; node: string; step: number; taskId: string | null }
  | { type: "node_failed"; node: string; step: number; error: string }
  /** `internal`: a step's own output (e.g. a proposal in JSON), not words for the user. */
  | { type: "message"; content: string; node: string | null; internal?: boolean }
  | { type: "retrying"; node: string; attempt: number }
  | { type: "reset"; node: string | null }
  | { type: "error"; content: string; node: string | null }
  | {
      type: "waiting_for_human";
      node: string;
      step: number | null;
      /** The reviewer-inbox task (not the node's task key). */
      taskId: string | null;
      instruction: string | null;
      priority: number | null;
      dueAt: string | null;
    }
  | { type: "human_input_received"; node: string; taskId: string | null }
  /** A token budget ran out: the node waits for a raise or for `periodEnd` (not a failure). */
  | { type: "waiting_for_budget"; node: string; scope: string | null; periodEnd: string | null }
  | { type: "budget_available"; node: string }
  | { type: "escalated"; node: string; taskId: string | null; priority: number | null; assignedTo: string | null }
  | { type: "deadline_passed"; node: string; taskId: string | null; policy: string | null }
  | { type: "paused" }
  | { type: "resumed" }
  | { type: "cancelled" }
  | {
      type: "done";
      status: string;
      executionId: string | null;
      chatId: string | null;
      messageId: string | null;
      answer: string | null;
    }
  | { type: "unknown"; name: string; data: Record<string, unknown> };

export interface DecodedEvent {
  /** The stream offset (the frame's `id:`), null when absent or not a resumable offset. */
  offset: number | null;
  event: RunEvent;
}

type Data = Record<string, unknown>;

function str(data: Data, key: string): string | null {
  const value = data[key];
  return typeof value === "string" ? value : value === undefined || value === null ? null : String(value);
}

function num(data: Data, key: string): number | null {
  const value = data[key];
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

function describeError(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    const message = (value as Data).message;
    if (typeof message === "string") return message;
    return JSON.stringify(value);
  }
  return value === undefined || value === null ? "failed" : String(value);
}

/** A frame's offset: a non-negative integer id, else null (the server's own error frames carry none). */
export function frameOffset(id: string | null): number | null {
  if (id === null || !/^\d+$/.test(id.trim())) return null;
  return Number(id.trim());
}

/** The event type: the frame's `event:` line, else the `"event"` key of its data. */
function eventName(frame: SseFrame, data: Data): string {
  if (frame.event && frame.event !== "message") return frame.event;
  return typeof data.event === "string" && data.event ? data.event : "message";
}

/** Turn one SSE frame into a typed run event. Never throws. */
export function decodeFrame(frame: SseFrame): DecodedEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(frame.data);
  } catch {
    parsed = { content: frame.data };
  }
  const data: Data =
    parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Data) : { content: parsed };
  const name = eventName(frame, data);
  return { offset: frameOffset(frame.id), event: toEvent(name, data) };
}

function toEvent(name: string, data: Data): RunEvent {
  const node = str(data, "node");
  switch (name) {
    case "thought":
      return { type: "thought", content: str(data, "content") ?? "" };
    case "node_started":
    case "node_completed":
      if (node === null) break;
      return { type: name, node, step: num(data, "step") ?? 0, taskId: str(data, "task_id") };
    case "node_failed":
      if (node === null) break;
      return { type: "node_failed", node, step: num(data, "step") ?? 0, error: describeError(data.error) };
    case "message":
      return { type: "message", content: str(data, "content") ?? "", node, internal: data.audience === "internal" };
    case "retrying":
      if (node === null) break;
      return { type: "retrying", node, attempt: num(data, "attempt") ?? 0 };
    case "reset":
      return { type: "reset", node };
    case "error":
      return { type: "error", content: str(data, "content") ?? describeError(data.error), node };
    case "waiting_for_human":
      if (node === null) break;
      return {
        type: "waiting_for_human",
        node,
        step: num(data, "step"),
        taskId: str(data, "task_id"),
        instruction: str(data, "instruction"),
        priority: num(data, "priority"),
        dueAt: str(data, "due_at"),
      };
    case "human_input_received":
      if (node === null) break;
      return { type: "human_input_received", node, taskId: str(data, "task_id") };
    case "waiting_for_budget":
      if (node === null) break;
      return { type: "waiting_for_budget", node, scope: str(data, "scope"), periodEnd: str(data, "period_end") };
    case "budget_available":
      if (node === null) break;
      return { type: "budget_available", node };
    case "escalated":
      if (node === null) break;
      return {
        type: "escalated",
        node,
        taskId: str(data, "task_id"),
        priority: num(data, "priority"),
        assignedTo: str(data, "assigned_to"),
      };
    case "deadline_passed":
      if (node === null) break;
      return { type: "deadline_passed", node, taskId: str(data, "task_id"), policy: str(data, "policy") };
    case "paused":
    case "resumed":
    case "cancelled":
      return { type: name };
    case "done":
      return {
        type: "done",
        status: str(data, "status") ?? "completed",
        executionId: str(data, "execution_id"),
        chatId: str(data, "chat_id"),
        messageId: str(data, "message_id"),
        answer: str(data, "answer"),
      };
    default:
      break;
  }
  return { type: "unknown", name, data };
}
