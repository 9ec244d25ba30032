import { describe, expect, it } from "vitest";
import { INITIAL_RUN_VIEW, isLivePhase, runReducer, type RunView } from "../src/run/runView";
import type { DecodedEvent, RunEvent } from "../src/sse/runEvents";

let offset = 0;
const at = (event: RunEvent, off: number | null = offset++): DecodedEvent => ({ offset: off, event });
const msg = (content: string, node: string | null = "llm"): RunEvent => ({ type: "message", content, node });
const failure = (content: string, node: string | null = "llm"): RunEvent => ({ type: "error", content, node });

function fold(events: DecodedEvent[], start: RunView = INITIAL_RUN_VIEW): RunView {
  return events.reduce(runReducer, start);
}

// What the agent says and the run's notices are the chat's folds: tests/chatSpeech.test.ts, chatTimeline.test.ts.
describe("runReducer", () => {
  it("is streaming from the first words on", () => {
    expect(fold([at(msg(""))]).phase).toBe("starting");
    expect(fold([at(msg("Hel")), at(msg("lo"))]).phase).toBe("streaming");
  });

  it("ignores an event at or below the last offset (a repeat after reconnecting)", () => {
    const first = fold([at(failure("a"), 0), at(failure("b"), 1)]);
    const again = fold([at(failure("b"), 1), at(failure("c"), 2)], first);
    expect(again.errors.map((e) => e.message)).toEqual(["a", "b", "c"]);
    expect(again.lastOffset).toBe(2);
    expect(runReducer(again, at(failure("d"), 2))).toBe(again);
  });

  it("applies events without an offset", () => {
    const view = fold([at(msg("a"), null), at(failure("stream failed", null), null)]);
    expect(view.phase).toBe("streaming");
    expect(view.errors).toEqual([{ node: null, message: "stream failed" }]);
    expect(view.lastOffset).toBeNull();
  });

  it("keeps no words, so a reset changes nothing", () => {
    const view = fold([at(msg("draft", "a"))]);
    expect(runReducer(view, at({ type: "reset", node: "a" }, null))).toBe(view);
  });

  it("keeps the latest thought and clears it when done", () => {
    const thinking = fold([at({ type: "thought", content: "searching" })]);
    expect(thinking.thought).toBe("searching");
    const done = runReducer(
      thinking,
      at({ type: "done", status: "completed", executionId: "e", chatId: "c", messageId: "m", answer: "ok" }),
    );
    expect(done.thought).toBeNull();
    expect(done.phase).toBe("completed");
  });

  it("keeps the final answer with `done`", () => {
    const view = fold([
      at(msg("partial")),
      at({
        type: "done",
        status: "completed",
        executionId: null,
        chatId: null,
        messageId: null,
        answer: "full answer",
      }),
    ]);
    expect(view.done?.answer).toBe("full answer");
    expect(view.phase).toBe("completed");
  });

  it("ends failed on a failed done, with the failed node in the graph", () => {
    const view = fold([
      at(msg("half")),
      at({ type: "node_failed", node: "llm", step: 1, error: "quota" }),
      at({ type: "done", status: "failed", executionId: null, chatId: null, messageId: null, answer: null }),
    ]);
    expect(view.phase).toBe("failed");
    expect(view.graph.nodes[0]).toMatchObject({ status: "failed", error: "quota" });
  });

  it("keeps each task of a fan-out as its own node run, in the view's graph", () => {
    const task = (type: "node_started" | "node_completed", index: number): RunEvent => ({
      type,
      node: "worker",
      step: 2,
      taskId: `2:worker:${index}`,
    });
    const view = fold([at(task("node_started", 1)), at(task("node_started", 2)), at(task("node_completed", 2))]);
    expect(view.graph.nodes.map((n) => `${n.id}=${n.status}`)).toEqual(["2:worker:1=running", "2:worker:2=completed"]);
  });
});

describe("runReducer: controls and human intervention", () => {
  const waiting = (node = "approve"): RunEvent => ({
    type: "waiting_for_human",
    node,
    step: 2,
    taskId: "t1",
    instruction: "Approve?",
    priority: 6,
    dueAt: null,
  });
  const done = (status: string): RunEvent => ({
    type: "done",
    status,
    executionId: null,
    chatId: null,
    messageId: null,
    answer: null,
  });

  it("stays paused while the current step finishes, until resumed", () => {
    const paused = fold([
      at({ type: "node_started", node: "a", step: 1, taskId: null }),
      at({ type: "paused" }),
      at({ type: "node_completed", node: "a", step: 1, taskId: null }),
      at(msg("late token", "a")),
    ]);
    expect(paused.phase).toBe("paused");
    const resumed = runReducer(paused, at({ type: "resumed" }));
    expect(resumed.phase).toBe("streaming");
  });

  it("waits for a reviewer, then continues once answered", () => {
    const view = fold([at({ type: "node_started", node: "approve", step: 2, taskId: null }), at(waiting())]);
    expect(view.phase).toBe("waiting");
    expect(view.waiting).toEqual({ node: "approve", taskId: "t1", instruction: "Approve?", priority: 6, dueAt: null });
    const answered = runReducer(view, at({ type: "human_input_received", node: "approve", taskId: "t1" }));
    expect(answered.phase).toBe("streaming");
    expect(answered.waiting).toBeNull();
    expect(answered.graph.nodes[0]!.status).toBe("running");
  });

  it("resumes into waiting when paused while waiting", () => {
    const view = fold([at(waiting()), at({ type: "paused" }), at({ type: "resumed" })]);
    expect(view.phase).toBe("waiting");
  });

  it("raises the waiting task's priority on escalation and stops waiting at a passed deadline", () => {
    const escalated = fold([
      at(waiting()),
      at({ type: "escalated", node: "approve", taskId: "t1", priority: 9, assignedTo: "ops" }),
    ]);
    expect(escalated.waiting!.priority).toBe(9);
    expect(escalated.phase).toBe("waiting");
    const defaulted = runReducer(
      escalated,
      at({ type: "deadline_passed", node: "approve", taskId: "t1", policy: "default_branch" }),
    );
    expect(defaulted.waiting).toBeNull();
    expect(defaulted.phase).toBe("streaming");
  });

  it("ends stopped on cancel, and failed or completed on done", () => {
    const stopped = fold([at(waiting()), at({ type: "cancelled" }), at(done("cancelled"))]);
    expect(stopped.phase).toBe("cancelled");
    expect(stopped.waiting).toBeNull();
    expect(stopped.graph.nodes[0]!.status).toBe("cancelled");
    expect(fold([at(done("failed"))]).phase).toBe("failed");
    expect(fold([at(done("completed"))]).phase).toBe("completed");
  });

  it("knows which phases are live", () => {
    expect(["starting", "streaming", "paused", "waiting"].every((p) => isLivePhase(p as RunView["phase"]))).toBe(true);
    expect(["completed", "failed", "cancelled"].some((p) => isLivePhase(p as RunView["phase"]))).toBe(false);
  });
});
