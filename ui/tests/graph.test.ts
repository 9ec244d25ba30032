import { describe, expect, it } from "vitest";
import { EMPTY_GRAPH, graphColumns, graphReducer, statusCounts, type GraphState } from "../src/run/graph";
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

  it("marks a node waiting for a person", () => {
    const state = fold([started("approve", 1), { type: "waiting_for_human", node: "approve", step: null }]);
    expect(brief(state)).toEqual(["1:approve=waiting"]);
  });

  it("leaves the state untouched for non-node events", () => {
    const state = fold([started("a", 1)]);
    expect(graphReducer(state, { type: "message", content: "x", node: "a" })).toBe(state);
    expect(graphReducer(state, { type: "thought", content: "x" })).toBe(state);
  });

  it("counts statuses", () => {
    const state = fold([started("a", 1), completed("a", 1), started("b", 2)]);
    expect(statusCounts(state)).toEqual({ running: 1, completed: 1, failed: 0, retrying: 0, waiting: 0 });
  });
});
