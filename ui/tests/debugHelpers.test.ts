/** The debugger's pure parts: breakpoints to send, where a paused run stands on the graph, and state edits. */

import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api/problem";
import type { GraphView, NodeState } from "../src/run/graph/overlay";
import {
  breakpointCount,
  breakpointsToSend,
  markGraphPausedAt,
  markPausedAt,
  NO_BREAKPOINTS,
  readPausedAt,
  toggleBreakpoint,
} from "../src/run/debug/breakpoints";
import { checkStateEdit, formatState, stateKeyErrors } from "../src/run/debug/stateEdit";

describe("breakpoints", () => {
  it("toggles a node on one side, sorted and without duplicates", () => {
    let set = toggleBreakpoint(NO_BREAKPOINTS, "before", "writer", true);
    set = toggleBreakpoint(set, "before", "chat", true);
    set = toggleBreakpoint(set, "before", "chat", true);
    set = toggleBreakpoint(set, "after", "chat", true);
    expect(set).toEqual({ before: ["chat", "writer"], after: ["chat"] });
    expect(breakpointCount(set)).toBe(3);
    set = toggleBreakpoint(set, "before", "writer", false);
    expect(set).toEqual({ before: ["chat"], after: ["chat"] });
    expect(NO_BREAKPOINTS).toEqual({ before: [], after: [] });
  });

  it("sends only nodes the graph still has, and nothing at all when none is set", () => {
    expect(breakpointsToSend(NO_BREAKPOINTS, ["chat"])).toBeUndefined();
    const set = { before: ["chat", "gone"], after: ["gone"] };
    expect(breakpointsToSend(set, ["chat", "router"])).toEqual({ before: ["chat"], after: [] });
    expect(breakpointsToSend(set, ["router"])).toBeUndefined();
  });

  it("reads the server's breakpoint loosely", () => {
    expect(readPausedAt(null)).toBeNull();
    expect(readPausedAt([1])).toBeNull();
    expect(readPausedAt({ step: 2, before: ["chat", 3], next: ["chat"] })).toEqual({
      step: 2,
      before: ["chat"],
      after: [],
      next: ["chat"],
    });
  });

  it("marks the nodes that run next as paused, whatever they were, and leaves the rest", () => {
    const states = new Map<string, NodeState>([
      ["__start__", "completed"],
      ["llm_1", "completed"],
      ["router_1", "idle"],
      ["human_1", "idle"],
    ]);
    const at = { step: 1, before: [], after: ["llm_1"], next: ["router_1", "llm_1", "unknown"] };
    const marked = markPausedAt(states, at);
    expect(Object.fromEntries(marked)).toEqual({
      __start__: "completed",
      llm_1: "paused",
      router_1: "paused",
      human_1: "idle",
    });
    expect(states.get("router_1")).toBe("idle");
    expect(markPausedAt(states, null)).toBe(states);
    expect(markPausedAt(states, { ...at, next: [] })).toBe(states);
  });
});

describe("the live graph paused at a breakpoint", () => {
  const node = (id: string, role: "start" | "node" | "end", state: NodeState) =>
    ({
      id,
      role,
      label: id,
      type: "llm",
      state,
      runs: [],
      attempt: 0,
      error: null,
    }) as unknown as GraphView["nodes"][0];
  const view: GraphView = {
    stage: "paused",
    nodes: [
      node("__start__", "start", "completed"),
      node("classify", "node", "completed"),
      node("reply", "node", "idle"),
    ],
    edges: [],
  };

  it("marks the agent's nodes that run next, never the start or end markers", () => {
    const marked = markGraphPausedAt(view, { step: 1, before: [], after: ["classify"], next: ["reply", "__start__"] });
    expect(marked.nodes.map((n) => [n.id, n.state])).toEqual([
      ["__start__", "completed"],
      ["classify", "completed"],
      ["reply", "paused"],
    ]);
    expect(view.nodes[2]!.state).toBe("idle");
    expect(markGraphPausedAt(view, null)).toBe(view);
  });
});

describe("state edits", () => {
  const state = { messages: [{ role: "user", content: "hi" }], route: null };

  it("shows the state as pretty JSON", () => {
    expect(formatState({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
  });

  it("sends only the keys that changed or are new", () => {
    const text = JSON.stringify({ messages: [{ role: "user", content: "edited" }], route: null, extra: 1 });
    expect(checkStateEdit(state, text)).toEqual({
      ok: true,
      edits: { messages: [{ role: "user", content: "edited" }], extra: 1 },
    });
    expect(checkStateEdit(state, formatState(state))).toEqual({ ok: true, edits: {} });
  });

  it("refuses text that is not JSON, not an object, or removes a key", () => {
    const syntax = checkStateEdit(state, '{"messages": [');
    expect(syntax.ok).toBe(false);
    expect(syntax).toMatchObject({ problem: "syntax" });
    expect(checkStateEdit(state, "[1, 2]")).toEqual({ ok: false, problem: "notObject" });
    expect(checkStateEdit(state, "null")).toEqual({ ok: false, problem: "notObject" });
    expect(checkStateEdit(state, '{"messages": []}')).toEqual({ ok: false, problem: "removed", keys: ["route"] });
  });

  it("reads the server's refusals per state key", () => {
    const error = new ApiError({
      status: 422,
      title: "Unprocessable",
      detail: "the state edit does not fit the agent's state",
      errors: [
        { path: "/body/state/messages", message: "expected array" },
        { path: "/body/state/a~1b", message: "not a state key of this agent version" },
        { path: "/body/other", message: "ignored" },
      ],
    });
    expect(stateKeyErrors(error)).toEqual([
      ["messages", "expected array"],
      ["a/b", "not a state key of this agent version"],
    ]);
    expect(stateKeyErrors(null)).toEqual([]);
  });
});
