import { describe, expect, it } from "vitest";
import { INITIAL_RUN_VIEW, runReducer, runText, type RunView } from "../src/run/runView";
import type { DecodedEvent, RunEvent } from "../src/sse/runEvents";

let offset = 0;
const at = (event: RunEvent, off: number | null = offset++): DecodedEvent => ({ offset: off, event });
const msg = (content: string, node: string | null = "llm"): RunEvent => ({ type: "message", content, node });

function fold(events: DecodedEvent[], start: RunView = INITIAL_RUN_VIEW): RunView {
  return events.reduce(runReducer, start);
}

describe("runReducer", () => {
  it("appends token deltas", () => {
    const view = fold([at(msg("Hel")), at(msg("lo")), at(msg(" 世界"))]);
    expect(runText(view)).toBe("Hello 世界");
    expect(view.phase).toBe("streaming");
  });

  it("reset discards only that node's text", () => {
    const view = fold([
      at(msg("draft ", "a")),
      at(msg("kept", "b")),
      at({ type: "reset", node: "a" }),
      at(msg("retry", "a")),
    ]);
    expect(view.segments).toEqual([
      { node: "b", text: "kept" },
      { node: "a", text: "retry" },
    ]);
  });

  it("ignores an event at or below the last offset (a repeat after reconnecting)", () => {
    const first = fold([at(msg("a"), 0), at(msg("b"), 1)]);
    const again = fold([at(msg("b"), 1), at(msg("c"), 2)], first);
    expect(runText(again)).toBe("abc");
    expect(again.lastOffset).toBe(2);
  });

  it("applies events without an offset", () => {
    const view = fold([at(msg("a"), null), at({ type: "error", content: "stream failed", node: null }, null)]);
    expect(runText(view)).toBe("a");
    expect(view.errors).toEqual([{ node: null, message: "stream failed" }]);
    expect(view.lastOffset).toBeNull();
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

  it("prefers the final answer to the streamed text", () => {
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
    expect(runText(view)).toBe("full answer");
    expect(view.phase).toBe("completed");
  });

  it("ends failed on a failed done and keeps streamed text when there is no answer", () => {
    const view = fold([
      at(msg("half")),
      at({ type: "node_failed", node: "llm", step: 1, error: "quota" }),
      at({ type: "done", status: "failed", executionId: null, chatId: null, messageId: null, answer: null }),
    ]);
    expect(view.phase).toBe("failed");
    expect(runText(view)).toBe("half");
    expect(view.graph.nodes[0]).toMatchObject({ status: "failed", error: "quota" });
  });

  it("joins text of different nodes as separate paragraphs", () => {
    expect(runText(fold([at(msg("one", "a")), at(msg("two", "b"))]))).toBe("one\n\ntwo");
  });
});
