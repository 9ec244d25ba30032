/**
 * The sandbox's run on the builder's canvas: run events folded as the chat folds them, laid
 * over the definition being edited, land on the builder's nodes and drawn edges by name — the
 * same states the chat's live graph shows — and disappear when the sandbox closes.
 */

import { describe, expect, it } from "vitest";
import { END, START, type WorkflowDefinition } from "../src/features/studio/builder/definition";
import { toFlowEdges, toFlowNodes, type FlowInput } from "../src/features/studio/builder/flow";
import { runMarks } from "../src/features/studio/builder/sandbox/runMarks";
import {
  EMPTY_SESSION,
  answerOf,
  canSend,
  latestTurn,
  sessionReducer,
  turnOutcome,
  type SandboxSession,
  type SessionAction,
} from "../src/features/studio/builder/sandbox/session";
import { sameBehaviour } from "../src/features/studio/builder/sandbox/unsaved";
import { ApiError } from "../src/api/problem";
import type { DecodedEvent, RunEvent } from "../src/sse/runEvents";

/** The journey's agent: llm → router, then a condition on `route` to a human node or the end. */
const DEFINITION: WorkflowDefinition = {
  ir_version: 1,
  name: "Sandbox test",
  state: { route: { type: "string", default: null }, human_input: { type: "object" } },
  nodes: [
    { name: "llm_1", type: "llm", config: {}, position: { x: 0, y: 100 } },
    { name: "router_1", type: "router", config: {}, position: { x: 0, y: 220 } },
    { name: "human_1", type: "human", config: {}, position: { x: 0, y: 340 } },
  ],
  edges: [
    { type: "normal", source: START, target: "llm_1" },
    { type: "normal", source: "llm_1", target: "router_1" },
    { type: "conditional", source: "router_1", condition: "route", mapping: { review: "human_1" }, default: END },
    { type: "normal", source: "human_1", target: END },
  ],
};

let offset = 0;
const at = (event: RunEvent): DecodedEvent => ({ offset: offset++, event });
const started = (node: string, step: number): RunEvent => ({ type: "node_started", node, step, taskId: null });
const completed = (node: string, step: number): RunEvent => ({ type: "node_completed", node, step, taskId: null });

function fold(actions: SessionAction[], from: SandboxSession = EMPTY_SESSION): SandboxSession {
  return actions.reduce(sessionReducer, from);
}

const events = (...list: RunEvent[]): SessionAction[] => list.map((event) => ({ type: "event", event: at(event) }));

function marksOf(session: SandboxSession) {
  const turn = latestTurn(session);
  return runMarks(DEFINITION, turn!.view.graph, turn!.view.phase);
}

describe("runMarks: the sandbox run's states on the builder's nodes", () => {
  it("shows every node idle before anything is sent", () => {
    const marks = runMarks(DEFINITION, { nodes: [], stopped: false }, null);
    expect([...marks.nodes.values()].every((state) => state === "idle")).toBe(true);
    expect([...marks.nodes.keys()].sort()).toEqual([END, START, "human_1", "llm_1", "router_1"].sort());
  });

  it("lights the running node, then the completed one, as the events arrive", () => {
    const running = fold([{ type: "sent", said: "hi" }, ...events(started("llm_1", 1))]);
    expect(marksOf(running).nodes.get("llm_1")).toBe("running");
    expect(marksOf(running).nodes.get("router_1")).toBe("idle");
    expect(marksOf(running).nodes.get(START)).toBe("completed");

    const moved = fold(events(completed("llm_1", 1), started("router_1", 2)), running);
    const marks = marksOf(moved);
    expect(marks.nodes.get("llm_1")).toBe("completed");
    expect(marks.nodes.get("router_1")).toBe("running");
    expect(marks.edges.get("1:llm_1->router_1")).toBe("taken");
  });

  it("ends at the default branch: the human node skipped, its branch not taken, the end reached", () => {
    const session = fold([
      { type: "sent", said: "hi" },
      ...events(started("llm_1", 1), completed("llm_1", 1), started("router_1", 2), completed("router_1", 2), {
        type: "done",
        status: "completed",
        executionId: "e",
        chatId: "c",
        messageId: "m",
        answer: "You said: hi",
      }),
      { type: "ended" },
    ]);
    const marks = marksOf(session);
    expect(marks.nodes.get("llm_1")).toBe("completed");
    expect(marks.nodes.get("router_1")).toBe("completed");
    expect(marks.nodes.get("human_1")).toBe("skipped");
    expect(marks.nodes.get(END)).toBe("completed");
    expect(marks.edges.get(`2:router_1->${END}`)).toBe("taken");
    expect(marks.edges.get("2:router_1->human_1")).toBe("not_taken");
    expect(answerOf(latestTurn(session)!)).toBe("You said: hi");
    expect(turnOutcome(latestTurn(session)!)).toBe("completed");
  });

  it("shows a node waiting for a person, and the turn waiting with its inbox task", () => {
    const session = fold([
      { type: "sent", said: "review this" },
      ...events(started("llm_1", 1), completed("llm_1", 1), started("router_1", 2), completed("router_1", 2), {
        type: "waiting_for_human",
        node: "human_1",
        step: 3,
        taskId: "task-9",
        instruction: "Check it",
        priority: null,
        dueAt: null,
      }),
    ]);
    expect(marksOf(session).nodes.get("human_1")).toBe("waiting");
    expect(marksOf(session).edges.get("2:router_1->human_1")).toBe("taken");
    const turn = latestTurn(session)!;
    expect(turnOutcome(turn)).toBe("waiting");
    expect(turn.view.waiting?.taskId).toBe("task-9");
    expect(canSend(session)).toBe(false);
  });

  it("marks a failed node failed", () => {
    const session = fold([
      { type: "sent", said: "hi" },
      ...events(started("llm_1", 1), { type: "node_failed", node: "llm_1", step: 1, error: "model down" }),
    ]);
    expect(marksOf(session).nodes.get("llm_1")).toBe("failed");
  });
});

describe("the builder's flow with and without the sandbox's run", () => {
  const texts: FlowInput["texts"] = {
    typeLabel: (type) => type,
    terminal: (role) => role,
    nodeAria: (spec) => spec.name,
    edgeAria: (edge) => edge.id,
    withRunState: (label, state) => `${label}: ${state}`,
  };
  const input = (run: FlowInput["run"]): FlowInput => ({
    definition: DEFINITION,
    selection: { nodes: [], edge: null },
    problems: [],
    terminals: { start: { x: 0, y: 0 }, end: { x: 0, y: 460 } },
    dragging: new Map(),
    readOnly: false,
    texts,
    run,
  });

  it("gives each node its run state, class and accessible name while the sandbox is open", () => {
    const session = fold([{ type: "sent", said: "hi" }, ...events(started("llm_1", 1), completed("llm_1", 1))]);
    const nodes = toFlowNodes(input(marksOf(session)));
    const llm = nodes.find((n) => n.id === "llm_1")!;
    expect(llm.data.runState).toBe("completed");
    expect(llm.className).toContain("run-node--completed");
    expect(llm.ariaLabel).toBe("llm_1: completed");
    expect(nodes.find((n) => n.id === START)!.data.runState).toBe("completed");
    const edge = toFlowEdges(input(marksOf(session))).find((e) => e.id === "1:llm_1->router_1")!;
    expect(edge.className).not.toContain("builder-edge--taken"); // the router has not started yet
  });

  it("returns to the editing colours when the sandbox is closed", () => {
    const nodes = toFlowNodes(input(null));
    expect(nodes.every((n) => n.data.runState === null)).toBe(true);
    expect(nodes.some((n) => (n.className ?? "").includes("run-node--"))).toBe(false);
    expect(nodes.find((n) => n.id === "llm_1")!.ariaLabel).toBe("llm_1");
    expect(toFlowEdges(input(null)).some((e) => (e.className ?? "").includes("builder-edge--run"))).toBe(false);
  });
});

describe("the sandbox conversation", () => {
  it("streams the agent's words, and a failed start is the turn's problem", () => {
    const streaming = fold([
      { type: "sent", said: "hi" },
      { type: "started", executionId: "exec-1" },
      ...events(started("llm_1", 1), { type: "message", content: "**You** said", node: "llm_1" }),
    ]);
    const turn = latestTurn(streaming)!;
    expect(turn.executionId).toBe("exec-1");
    expect(answerOf(turn)).toBe("**You** said");
    expect(turnOutcome(turn)).toBe("going");

    const refused = fold([
      { type: "sent", said: "again" },
      { type: "failed", problem: new ApiError({ status: 409, title: "Busy", detail: "busy" }) },
    ]);
    expect(turnOutcome(latestTurn(refused)!)).toBe("failed");
    expect(canSend(refused)).toBe(true);
  });

  it("ignores a duplicate event after a reconnect", () => {
    const first = fold([{ type: "sent", said: "hi" }]);
    const once = sessionReducer(first, {
      type: "event",
      event: { offset: 7, event: { type: "message", content: "a", node: "llm_1" } },
    });
    const twice = sessionReducer(once, {
      type: "event",
      event: { offset: 7, event: { type: "message", content: "a", node: "llm_1" } },
    });
    expect(twice).toBe(once);
  });
});

describe("unsaved changes that matter to a run", () => {
  it("ignores moved nodes, but not a changed config or edge", () => {
    const moved = { ...DEFINITION, nodes: DEFINITION.nodes.map((n) => ({ ...n, position: { x: 9, y: 9 } })) };
    expect(sameBehaviour(DEFINITION, moved)).toBe(true);
    const changed = {
      ...DEFINITION,
      nodes: DEFINITION.nodes.map((n) => (n.name === "llm_1" ? { ...n, config: { temperature: 0.1 } } : n)),
    };
    expect(sameBehaviour(DEFINITION, changed)).toBe(false);
    expect(sameBehaviour(DEFINITION, { ...DEFINITION, edges: DEFINITION.edges.slice(0, 3) })).toBe(false);
  });
});
