import { describe, expect, it } from "vitest";
import { SILENCE, speechReducer, spokenText, type Speech } from "../src/run/speech";
import type { RunEvent } from "../src/sse/runEvents";

const fold = (events: RunEvent[]): Speech => events.reduce(speechReducer, SILENCE);
const started = (node: string, step = 1): RunEvent => ({ type: "node_started", node, step, taskId: null });
const completed = (node: string, step = 1): RunEvent => ({ type: "node_completed", node, step, taskId: null });
const says = (node: string | null, content: string): RunEvent => ({ type: "message", content, node });
const done = (status: string, answer: string | null) =>
  ({ type: "done", status, executionId: "e1", chatId: "c1", messageId: null, answer }) as const;

const PROPOSAL = '{"arguments": {}, "summary": "Refund order 42"}';

describe("what the agent says", () => {
  it("streams a chat node's answer as it comes", () => {
    const speech = fold([started("chat"), says("chat", "Hello "), says("chat", "世界")]);
    expect(spokenText(speech, null)).toBe("Hello 世界");
  });

  it("keeps an internal step's output out of the bubble while an approval waits", () => {
    // approval_gated_action: `propose` streams its JSON proposal, then `approve` waits for a person.
    const speech = fold([
      started("propose"),
      says("propose", '{"arguments": {}, '),
      says("propose", '"summary": "Refund order 42"}'),
      completed("propose"),
      started("approve", 2),
      {
        type: "waiting_for_human",
        node: "approve",
        step: 2,
        taskId: "t1",
        instruction: null,
        priority: 7,
        dueAt: null,
      },
    ]);
    expect(spokenText(speech, null)).toBe("");
  });

  it("never shows a step's internal output, even while its node still streams", () => {
    const internal: RunEvent = { type: "message", content: PROPOSAL.slice(0, 12), node: "propose", internal: true };
    expect(spokenText(fold([started("propose"), internal]), null)).toBe("");
  });

  it("shows an answer that happens to start like JSON when it is for the user", () => {
    expect(spokenText(fold([started("p"), says("p", '{"a": 1} is the object you asked for')]), null)).toBe(
      '{"a": 1} is the object you asked for',
    );
  });

  it("drops a finished step's words once the run moves on, and shows the next speaker's", () => {
    const speech = fold([
      started("plan"),
      says("plan", "Let me look that up."),
      completed("plan"),
      started("search", 2),
      completed("search", 2),
      started("report", 3),
      says("report", "Order 42 was refunded."),
    ]);
    expect(spokenText(speech, null)).toBe("Order 42 was refunded.");
  });

  it("keeps the last node's words between its end and `done`", () => {
    const speech = fold([started("report"), says("report", "Done."), completed("report")]);
    expect(spokenText(speech, null)).toBe("Done.");
  });

  it("shows the final answer once done, also when it is JSON", () => {
    const speech = fold([started("report"), says("report", "Draft")]);
    expect(spokenText(speech, done("completed", "Final answer"))).toBe("Final answer");
    expect(spokenText(SILENCE, done("completed", '{"total": 3}'))).toBe('{"total": 3}');
  });

  it("keeps what was said when a run fails or is stopped without an answer", () => {
    const speech = fold([started("chat"), says("chat", "Half an ans")]);
    expect(spokenText(speech, done("cancelled", null))).toBe("Half an ans");
  });

  it("drops a failed attempt's words on reset and starts a loop's next turn afresh", () => {
    const retried = fold([
      started("chat"),
      says("chat", "garbled"),
      { type: "reset", node: "chat" },
      says("chat", "clean"),
    ]);
    expect(spokenText(retried, null)).toBe("clean");
    const loop = fold([
      started("agent"),
      says("agent", "Checking…"),
      completed("agent"),
      started("tools", 2),
      completed("tools", 2),
      started("agent", 3),
      says("agent", "It is sunny."),
    ]);
    expect(spokenText(loop, null)).toBe("It is sunny.");
  });

  it("drops only the retried node's words on reset, keeping a parallel speaker's", () => {
    const speech = fold([
      started("a"),
      started("b"),
      says("a", "draft "),
      says("b", "kept"),
      { type: "reset", node: "a" },
      says("a", "retry"),
    ]);
    expect(speech).toEqual([
      { node: "b", text: "kept", finished: false },
      { node: "a", text: "retry", finished: false },
    ]);
    expect(spokenText(speech, null)).toBe("kept\n\nretry");
  });

  it("shows parallel speakers together", () => {
    const speech = fold([started("a"), started("b"), says("a", "one"), says("b", "two"), completed("a")]);
    expect(spokenText(speech, null)).toBe("one\n\ntwo");
  });
});
