import { describe, expect, it } from "vitest";
import type { NodeExecution } from "../src/api/executions";
import {
  EMPTY_GRAPH,
  formatDuration,
  graphColumns,
  graphFromNodes,
  graphReducer,
  statusCounts,
  type GraphState,
} from "../src/run/graph";
import type { RunEvent } from "../src/sse/runEvents";

const started = (node: string, step: number): RunEvent => ({ type: "node_started", node, step, taskId: null });
const completed = (node: string, step: number): RunEvent => ({ type: "node_completed", node, step, taskId: null });

function fold(events: RunEvent[]): GraphState {
  return events.reduce(graphReducer, EMPTY_GRAPH);
}

const brief = (state: GraphState) => state.nodes.map((n) => `${n.step}:${n.node}=${n.status}`);

describe("graphReducer", () => {
  it("tracks a node from running to completed", () => {
    expect(brief(fold([started("plan", 1)]))).toEqual(["1:plan=running"]);
    expect(brief(fold([started("plan", 1), completed("plan", 1)]))).toEqual(["1:plan=completed"]);
  });

  it("keeps fan-out nodes of one step in one column, steps in order", () => {
    const state = fold([
      started("router", 1),
      completed("router", 1),
      started("search", 2),
      started("rag", 2),
      completed("rag", 2),
      started("answer", 3),
    ]);
    expect(graphColumns(state).map((c) => [c.step, c.nodes.map((n) => `${n.node}=${n.status}`)])).toEqual([
      [1, ["router=completed"]],
      [2, ["search=running", "rag=completed"]],
      [3, ["answer=running"]],
    ]);
  });

  it("sorts columns by step even when events arrive out of order", () => {
    const state = fold([started("late", 3), started("early", 1)]);
    expect(graphColumns(state).map((c) => c.step)).toEqual([1, 3]);
  });

  it("shows a node that runs again (a loop) once per step", () => {
    const state = fold([started("agent", 1), completed("agent", 1), started("agent", 3)]);
    expect(brief(state)).toEqual(["1:agent=completed", "3:agent=running"]);
  });

  it("marks failures with their error", () => {
    const state = fold([started("tool", 2), { type: "node_failed", node: "tool", step: 2, error: "boom" }]);
    expect(state.nodes[0]).toMatchObject({ status: "failed", error: "boom" });
  });

  it("applies retrying to the node's latest step, then running again on restart", () => {
    const retry: RunEvent = { type: "retrying", node: "llm", attempt: 2 };
    const state = fold([started("llm", 1), completed("llm", 1), started("llm", 4), retry]);
    expect(brief(state)).toEqual(["1:llm=completed", "4:llm=retrying"]);
    expect(state.nodes[1]!.attempt).toBe(2);
    const restarted = graphReducer(state, started("llm", 4));
    expect(restarted.nodes[1]).toMatchObject({ status: "running", attempt: 2 });
  });

  it("places retrying of an unseen node in the latest step", () => {
    const state = fold([started("a", 2), { type: "retrying", node: "b", attempt: 1 }]);
    expect(brief(state)).toEqual(["2:a=running", "2:b=retrying"]);
  });

  it("marks a node waiting for a person, and running again once answered", () => {
    const waiting: RunEvent = {
      type: "waiting_for_human",
      node: "approve",
      step: null,
      taskId: "t",
      instruction: "ok?",
      priority: 5,
      dueAt: null,
    };
    const state = fold([started("approve", 1), waiting]);
    expect(brief(state)).toEqual(["1:approve=waiting"]);
    const answered = graphReducer(state, { type: "human_input_received", node: "approve", taskId: "t" });
    expect(brief(answered)).toEqual(["1:approve=running"]);
    // An answer for a node not waiting changes nothing.
    expect(graphReducer(answered, { type: "human_input_received", node: "approve", taskId: "t" })).toBe(answered);
  });

  it("cancels the nodes still going when the run is stopped", () => {
    const state = fold([started("a", 1), completed("a", 1), started("b", 2), started("c", 2)]);
    expect(brief(graphReducer(state, { type: "cancelled" }))).toEqual([
      "1:a=completed",
      "2:b=cancelled",
      "2:c=cancelled",
    ]);
    const done = graphReducer(state, {
      type: "done",
      status: "cancelled",
      executionId: null,
      chatId: null,
      messageId: null,
      answer: null,
    });
    expect(brief(done)).toEqual(["1:a=completed", "2:b=cancelled", "2:c=cancelled"]);
  });

  it("leaves the state untouched for non-node events", () => {
    const state = fold([started("a", 1)]);
    expect(graphReducer(state, { type: "message", content: "x", node: "a" })).toBe(state);
    expect(graphReducer(state, { type: "thought", content: "x" })).toBe(state);
  });

  it("counts statuses", () => {
    const state = fold([started("a", 1), completed("a", 1), started("b", 2)]);
    expect(statusCounts(state)).toEqual({
      running: 1,
      completed: 1,
      failed: 0,
      retrying: 0,
      waiting: 0,
      cancelled: 0,
      skipped: 0,
    });
  });
});

const record = (node: string, step: number, status: string, extra: Partial<NodeExecution> = {}): NodeExecution => ({
  node_name: node,
  node_type: "llm",
  step,
  task_id: `${step}:${node}:0`,
  status,
  started_at: null,
  completed_at: null,
  duration_ms: 120,
  retry_count: 0,
  error_message: null,
  tokens_consumed: null,
  ...extra,
});

describe("graphFromNodes", () => {
  it("lays out a recorded run by step with durations, tokens, retries and errors", () => {
    const state = graphFromNodes(
      [
        record("answer", 2, "failed", { retry_count: 2, error_message: "quota exceeded", tokens_consumed: 40 }),
        record("plan", 1, "completed", { node_type: "router" }),
      ],
      true,
    );
    expect(brief(state)).toEqual(["1:plan=completed", "2:answer=failed"]);
    expect(state.nodes[1]).toMatchObject({
      attempt: 2,
      error: "quota exceeded",
      tokens: 40,
      durationMs: 120,
      nodeType: "llm",
      taskId: "2:answer:0",
    });
  });

  it("shows nodes left running in a finished run as cancelled, but not in a live one", () => {
    const rows = [record("ask", 1, "waiting"), record("tool", 1, "running")];
    expect(brief(graphFromNodes(rows, true))).toEqual(["1:ask=cancelled", "1:tool=cancelled"]);
    expect(brief(graphFromNodes(rows, false))).toEqual(["1:ask=waiting", "1:tool=running"]);
  });

  it("keeps every task of a dynamic fan-out to one node in one step", () => {
    const state = graphFromNodes([record("worker", 2, "completed"), record("worker", 2, "skipped")], true);
    expect(state.nodes.map((n) => n.id)).toEqual(["2:worker", "2:worker#2"]);
    expect(brief(state)).toEqual(["2:worker=completed", "2:worker=skipped"]);
  });
});

describe("formatDuration", () => {
  it("reads milliseconds, seconds and minutes", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(2_400)).toBe("2.4 s");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(59_700)).toBe("1 min");
    expect(formatDuration(185_000)).toBe("3 min 5 s");
    expect(formatDuration(null)).toBe("");
    expect(formatDuration(-1)).toBe("");
  });
});
