import { describe, expect, it } from "vitest";
import { decodeFrame, frameOffset } from "../src/sse/runEvents";

// The shape @microsoft/fetch-event-source hands over: "" for a missing id or event line.
const f = (event: string, data: unknown, id = "7") => ({ id, event, data: JSON.stringify(data) });

describe("decodeFrame", () => {
  it("decodes node events with their offset", () => {
    expect(decodeFrame(f("node_started", { event: "node_started", node: "plan", step: 2, task_id: "t1" }))).toEqual({
      offset: 7,
      event: { type: "node_started", node: "plan", step: 2, taskId: "t1" },
    });
  });

  it("reads the type from data.event when the frame has no event line", () => {
    expect(decodeFrame(f("", { event: "thought", content: "thinking" })).event).toEqual({
      type: "thought",
      content: "thinking",
    });
    expect(decodeFrame(f("message", { event: "thought", content: "thinking" })).event.type).toBe("thought");
  });

  it("prefers the event line over data.event", () => {
    expect(decodeFrame(f("reset", { event: "message", node: "llm" })).event).toEqual({ type: "reset", node: "llm" });
  });

  it("decodes done", () => {
    const event = decodeFrame(
      f("done", { status: "failed", execution_id: "e", chat_id: "c", message_id: "m", answer: null }),
    ).event;
    expect(event).toEqual({
      type: "done",
      status: "failed",
      executionId: "e",
      chatId: "c",
      messageId: "m",
      answer: null,
    });
  });

  it("turns an error object of node_failed into text", () => {
    const event = decodeFrame(f("node_failed", { node: "tool", step: 1, error: { message: "timeout" } })).event;
    expect(event).toEqual({ type: "node_failed", node: "tool", step: 1, error: "timeout" });
  });

  it("keeps unknown and malformed frames as unknown/plain content", () => {
    expect(decodeFrame(f("sparkle", { x: 1 })).event).toEqual({ type: "unknown", name: "sparkle", data: { x: 1 } });
    expect(decodeFrame({ id: "", event: "", data: "not json" })).toEqual({
      offset: null,
      event: { type: "message", content: "not json", node: null, internal: false },
    });
    expect(decodeFrame(f("node_started", { step: 1 })).event.type).toBe("unknown");
  });

  it("marks a step's internal output so the chat can keep it out of the bubble", () => {
    const frame = f("message", { content: "{", node: "propose", audience: "internal" });
    expect(decodeFrame(frame).event).toEqual({ type: "message", content: "{", node: "propose", internal: true });
  });
});

describe("frameOffset", () => {
  it("accepts non-negative integers only", () => {
    expect(frameOffset("12")).toBe(12);
    expect(frameOffset("-1")).toBeNull();
    expect(frameOffset("abc")).toBeNull();
    expect(frameOffset("")).toBeNull();
    expect(frameOffset(null)).toBeNull();
  });
});

describe("decodeFrame: controls and human intervention", () => {
  it("decodes waiting_for_human with its task, instruction, priority and deadline", () => {
    const event = decodeFrame(
      f("waiting_for_human", {
        node: "approve",
        step: 3,
        task_id: "task-9",
        instruction: "Approve the refund?",
        priority: 8,
        due_at: "2030-01-01T10:00:00Z",
      }),
    ).event;
    expect(event).toEqual({
      type: "waiting_for_human",
      node: "approve",
      step: 3,
      taskId: "task-9",
      instruction: "Approve the refund?",
      priority: 8,
      dueAt: "2030-01-01T10:00:00Z",
    });
  });

  it("decodes the answer, escalation and deadline events", () => {
    expect(decodeFrame(f("human_input_received", { node: "a", task_id: "t", completed_by: "u" })).event).toEqual({
      type: "human_input_received",
      node: "a",
      taskId: "t",
    });
    expect(decodeFrame(f("escalated", { node: "a", task_id: "t", priority: 9, assigned_to: "ops" })).event).toEqual({
      type: "escalated",
      node: "a",
      taskId: "t",
      priority: 9,
      assignedTo: "ops",
    });
    expect(decodeFrame(f("deadline_passed", { node: "a", task_id: "t", policy: "fail" })).event).toEqual({
      type: "deadline_passed",
      node: "a",
      taskId: "t",
      policy: "fail",
    });
  });

  it("decodes paused, resumed and cancelled", () => {
    expect(decodeFrame(f("paused", { step: 2 })).event).toEqual({ type: "paused" });
    expect(decodeFrame(f("resumed", { step: 2 })).event).toEqual({ type: "resumed" });
    expect(decodeFrame(f("cancelled", { step: 2 })).event).toEqual({ type: "cancelled" });
  });
});
