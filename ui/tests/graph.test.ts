import { describe, expect, it } from "vitest";
import type { NodeExecution } from "../src/api/executions";
import type { AgentGraph, AgentGraphEdge, AgentGraphNode } from "../src/run/graph/api";
import { toFlowEdges, toFlowNodes } from "../src/run/graph/flow";
import { formatDuration } from "../src/run/graph/format";
import { edgeLabel } from "../src/run/graph/labels";
import { layoutGraph, NODE_SIZES } from "../src/run/graph/layout";
import { overlayRun, progressOf, type GraphView, type RunStage } from "../src/run/graph/overlay";
import { clampSize, draggedSize, keyedSize } from "../src/run/graph/usePanelSize";
import { NO_RUNS, nodeRunsFromRecords, nodeRunsReducer, type NodeRuns } from "../src/run/nodeRuns";
import { runOnGraph } from "../src/run/shownRun";
import { INITIAL_RUN_VIEW } from "../src/run/runView";
import type { RunEvent } from "../src/sse/runEvents";

const started = (node: string, step: number, index = 0): RunEvent => ({
  type: "node_started",
  node,
  step,
  taskId: `${step}:${node}:${index}`,
});
const completed = (node: string, step: number, index = 0): RunEvent => ({
  type: "node_completed",
  node,
  step,
  taskId: `${step}:${node}:${index}`,
});
const failed = (node: string, step: number, error = "boom"): RunEvent => ({ type: "node_failed", node, step, error });
const done = (status: string): RunEvent => ({
  type: "done",
  status,
  executionId: null,
  chatId: null,
  messageId: null,
  answer: null,
});

function fold(events: RunEvent[], from: NodeRuns = NO_RUNS): NodeRuns {
  return events.reduce(nodeRunsReducer, from);
}

const brief = (state: NodeRuns) => state.nodes.map((n) => `${n.id}=${n.status}`);

describe("node runs from live events", () => {
  it("tracks a node from running to completed", () => {
    expect(brief(fold([started("plan", 0)]))).toEqual(["0:plan:0=running"]);
    expect(brief(fold([started("plan", 0), completed("plan", 0)]))).toEqual(["0:plan:0=completed"]);
  });

  it("keeps one run per task: a loop's later step and each fan-out instance", () => {
    const state = fold([
      started("agent", 0),
      completed("agent", 0),
      started("worker", 1, 1),
      started("worker", 1, 2),
      completed("worker", 1, 2),
      started("agent", 2),
    ]);
    expect(brief(state)).toEqual([
      "0:agent:0=completed",
      "1:worker:1=running",
      "1:worker:2=completed",
      "2:agent:0=running",
    ]);
  });

  it("marks failures with their error; a failure without a task id goes to the node's open run", () => {
    const state = fold([started("tool", 1, 3), failed("tool", 1, "quota")]);
    expect(state.nodes).toHaveLength(1);
    expect(state.nodes[0]).toMatchObject({ id: "1:tool:3", status: "failed", error: "quota" });
  });

  it("applies retrying to the node's latest run, then running again on restart", () => {
    const retry: RunEvent = { type: "retrying", node: "llm", attempt: 2 };
    const state = fold([started("llm", 0), completed("llm", 0), started("llm", 3), retry]);
    expect(brief(state)).toEqual(["0:llm:0=completed", "3:llm:0=retrying"]);
    expect(state.nodes[1]!.attempt).toBe(2);
    expect(nodeRunsReducer(state, started("llm", 3)).nodes[1]).toMatchObject({ status: "running", attempt: 2 });
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
    expect(brief(state)).toEqual(["1:approve:0=waiting"]);
    const answered = nodeRunsReducer(state, { type: "human_input_received", node: "approve", taskId: "t" });
    expect(brief(answered)).toEqual(["1:approve:0=running"]);
    expect(nodeRunsReducer(answered, { type: "human_input_received", node: "approve", taskId: "t" })).toBe(answered);
  });

  it("cancels what was going when stopped, and a failure the stop caused is no failure", () => {
    const state = fold([started("a", 0), completed("a", 0), started("b", 1), started("c", 1)]);
    const stopped = nodeRunsReducer(state, { type: "cancelled" });
    expect(brief(stopped)).toEqual(["0:a:0=completed", "1:b:0=cancelled", "1:c:0=cancelled"]);
    // The activity could no longer report to the ended run: "workflow execution already completed".
    const late = nodeRunsReducer(stopped, failed("b", 1, "workflow execution already completed"));
    expect(late.nodes[1]).toMatchObject({ status: "cancelled", error: null });
    expect(brief(nodeRunsReducer(state, done("cancelled")))).toEqual(brief(stopped));
  });

  it("leaves the state untouched for events that are not about nodes", () => {
    const state = fold([started("a", 0)]);
    expect(nodeRunsReducer(state, { type: "message", content: "x", node: "a" })).toBe(state);
    expect(nodeRunsReducer(state, { type: "thought", content: "x" })).toBe(state);
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

describe("node runs from a recorded run", () => {
  it("reads durations, tokens, retries and errors, in step order", () => {
    const state = nodeRunsFromRecords(
      [
        record("answer", 1, "failed", { retry_count: 2, error_message: "quota exceeded", tokens_consumed: 40 }),
        record("plan", 0, "completed", { node_type: "router" }),
      ],
      "failed",
    );
    expect(brief(state)).toEqual(["0:plan:0=completed", "1:answer:0=failed"]);
    expect(state.nodes[1]).toMatchObject({ attempt: 2, error: "quota exceeded", tokens: 40, durationMs: 120 });
  });

  it("shows tasks left open in an ended run as cancelled, but not in a live one", () => {
    const rows = [record("ask", 1, "waiting"), record("tool", 1, "running")];
    expect(brief(nodeRunsFromRecords(rows, "completed"))).toEqual(["1:ask:0=cancelled", "1:tool:0=cancelled"]);
    expect(brief(nodeRunsFromRecords(rows, "interrupted"))).toEqual(["1:ask:0=waiting", "1:tool:0=running"]);
  });

  it("shows a task failed by a stop as cancelled, and a reused task as completed", () => {
    const rows = [
      record("a", 0, "skipped"),
      record("b", 1, "failed", { error_message: "workflow execution already completed" }),
    ];
    const state = nodeRunsFromRecords(rows, "cancelled");
    expect(brief(state)).toEqual(["0:a:0=completed", "1:b:0=cancelled"]);
    expect(state.nodes[0]!.reused).toBe(true);
    expect(state.nodes[1]!.error).toBeNull();
  });
});

// support_triage-like: classify, then a conditional to billing / tech / other; billing fans
// out over its items to a worker; every branch ends.
const node = (id: string, type = "transform", position: AgentGraphNode["position"] = null): AgentGraphNode => ({
  id,
  role: id === "__start__" ? "start" : id === "__end__" ? "end" : "node",
  type: id === "__start__" ? "start" : id === "__end__" ? "end" : type,
  label: id,
  description: null,
  execution: null,
  position,
});
const edge = (group: number, source: string, target: string, extra: Partial<AgentGraphEdge> = {}): AgentGraphEdge => ({
  id: `${group}:${source}->${target}`,
  group,
  source,
  target,
  kind: "normal",
  condition: null,
  outcomes: [],
  is_default: false,
  fan_out: null,
  ...extra,
});
const conditional = (target: string, outcomes: string[], isDefault = false) =>
  edge(1, "classify", target, { kind: "conditional", condition: "kind", outcomes, is_default: isDefault });

const TRIAGE: AgentGraph = {
  agent_id: "a",
  agent_version_id: "v",
  version: "1.0.0",
  plan_hash: "h",
  name: "support_triage",
  start: "__start__",
  end: "__end__",
  nodes: ["__start__", "classify", "billing", "tech", "other", "worker", "__end__"].map((id) =>
    node(id, id === "classify" ? "llm" : "transform"),
  ),
  edges: [
    edge(0, "__start__", "classify"),
    conditional("billing", ["billing"]),
    conditional("tech", ["tech"]),
    conditional("other", ["other"], true),
    edge(2, "billing", "worker", {
      kind: "fan_out",
      fan_out: { dynamic: true, over: "items", item_key: "item", targets: 1 },
    }),
    edge(3, "worker", "__end__"),
    edge(4, "tech", "__end__"),
    edge(5, "other", "__end__"),
  ],
};

const billingRun = [
  started("classify", 0),
  completed("classify", 0),
  started("billing", 1),
  completed("billing", 1),
  started("worker", 2, 1),
  started("worker", 2, 2),
  started("worker", 2, 3),
];

function overlay(events: RunEvent[], stage: RunStage): GraphView {
  return overlayRun(TRIAGE, fold(events), stage);
}
const states = (view: GraphView) => Object.fromEntries(view.nodes.map((n) => [n.id, n.state]));
const edgeStates = (view: GraphView) => Object.fromEntries(view.edges.map((e) => [e.id, e.state]));

describe("the run laid over the agent's graph", () => {
  it("shows the chat's graph alone before any run", () => {
    const view = overlayRun(TRIAGE, NO_RUNS, "idle");
    expect(new Set(Object.values(states(view)))).toEqual(new Set(["idle"]));
    expect(new Set(Object.values(edgeStates(view)))).toEqual(new Set(["idle"]));
  });

  it("lights the nodes up as they run, counts a fan-out and marks the branch taken", () => {
    const view = overlay(billingRun, "running");
    expect(states(view)).toEqual({
      __start__: "completed",
      classify: "completed",
      billing: "completed",
      tech: "idle", // not dimmed while the run goes on: a later step might still reach it
      other: "idle",
      worker: "running",
      __end__: "idle",
    });
    expect(edgeStates(view)).toEqual({
      "0:__start__->classify": "taken",
      "1:classify->billing": "taken",
      "1:classify->tech": "not_taken",
      "1:classify->other": "not_taken",
      "2:billing->worker": "taken",
      "3:worker->__end__": "idle",
      "4:tech->__end__": "idle",
      "5:other->__end__": "idle",
    });
    expect(view.edges.find((e) => e.id === "2:billing->worker")!.count).toBe(3);
    expect(view.nodes.find((n) => n.id === "worker")!.runs).toHaveLength(3);
  });

  it("dims the nodes never reached once the run has ended, and reaches the end", () => {
    const events = [...billingRun, completed("worker", 2, 1), completed("worker", 2, 2), completed("worker", 2, 3)];
    const view = overlay([...events, done("completed")], "completed");
    expect(states(view)).toMatchObject({
      tech: "skipped",
      other: "skipped",
      worker: "completed",
      __end__: "completed",
    });
    expect(edgeStates(view)).toMatchObject({
      "3:worker->__end__": "taken",
      "4:tech->__end__": "not_taken",
      "5:other->__end__": "not_taken",
    });
    expect(progressOf(view)).toEqual({ done: 3, total: 5, failed: 0 });
  });

  it("does not decide a branch before the next step begins", () => {
    const view = overlay([started("classify", 0), completed("classify", 0)], "running");
    expect(edgeStates(view)["1:classify->billing"]).toBe("idle");
    expect(edgeStates(view)["0:__start__->classify"]).toBe("taken");
  });

  it("shows failed, retrying, waiting and paused nodes, and a failed run's end as not reached", () => {
    const retry: RunEvent = { type: "retrying", node: "classify", attempt: 2 };
    expect(states(overlay([started("classify", 0), retry], "running")).classify).toBe("retrying");
    expect(overlay([started("classify", 0), retry], "running").nodes[1]!.attempt).toBe(2);
    expect(states(overlay([started("classify", 0)], "paused")).classify).toBe("paused");
    const waiting: RunEvent = {
      type: "waiting_for_human",
      node: "classify",
      step: 0,
      taskId: "t",
      instruction: null,
      priority: null,
      dueAt: null,
    };
    expect(states(overlay([started("classify", 0), waiting], "paused")).classify).toBe("waiting");
    const failedRun = overlay([started("classify", 0), failed("classify", 0, "quota"), done("failed")], "failed");
    expect(states(failedRun)).toMatchObject({ classify: "failed", billing: "skipped", __end__: "skipped" });
    expect(failedRun.nodes[1]!.error).toBe("quota");
    expect(progressOf(failedRun).failed).toBe(1);
  });

  it("cancels a node a stopped run left open", () => {
    const view = overlayRun(TRIAGE, { nodes: fold([started("classify", 0)]).nodes, stopped: false }, "cancelled");
    expect(states(view).classify).toBe("cancelled");
  });

  it("counts a loop: the node's runs and how often the back edge was taken", () => {
    const loop: AgentGraph = {
      ...TRIAGE,
      nodes: ["__start__", "agent", "tools", "__end__"].map((id) => node(id)),
      edges: [
        edge(0, "__start__", "agent"),
        edge(1, "agent", "tools", { kind: "conditional", outcomes: ["true"] }),
        edge(1, "agent", "__end__", { id: "1:agent->__end__", kind: "conditional", outcomes: ["false"] }),
        edge(2, "tools", "agent"),
      ],
    };
    const events = [0, 2, 4].flatMap((s) => [started("agent", s), completed("agent", s)]);
    const tools = [1, 3].flatMap((s) => [started("tools", s), completed("tools", s)]);
    const view = overlayRun(loop, fold([...events, ...tools].sort((a, b) => step(a) - step(b))), "completed");
    expect(view.nodes.find((n) => n.id === "agent")!.runs).toHaveLength(3);
    expect(view.edges.map((e) => [e.id, e.state, e.count])).toEqual([
      ["0:__start__->agent", "taken", 1],
      ["1:agent->tools", "taken", 2],
      ["1:agent->__end__", "taken", 1],
      ["2:tools->agent", "taken", 2],
    ]);
  });
});

function step(event: RunEvent): number {
  return "step" in event && typeof event.step === "number" ? event.step : 0;
}

describe("layout", () => {
  it("gives every node a position, top to bottom", () => {
    const layout = layoutGraph(TRIAGE);
    expect([...layout.keys()].sort()).toEqual(TRIAGE.nodes.map((n) => n.id).sort());
    const y = (id: string) => layout.get(id)!.y;
    expect(y("__start__")).toBeLessThan(y("classify"));
    expect(y("classify")).toBeLessThan(y("billing"));
    expect(y("billing")).toBeLessThan(y("worker"));
    expect(y("worker")).toBeLessThan(y("__end__"));
    // Siblings of one rank do not overlap.
    const [a, b] = [layout.get("billing")!, layout.get("tech")!];
    expect(Math.abs(a.x - b.x)).toBeGreaterThanOrEqual(NODE_SIZES.node.width);
  });

  it("keeps positions stored in the definition, and puts start above and end below them", () => {
    const placed: AgentGraph = {
      ...TRIAGE,
      nodes: TRIAGE.nodes.map((n, i) => (n.role === "node" ? { ...n, position: { x: i * 300, y: 500 + i * 10 } } : n)),
    };
    const layout = layoutGraph(placed);
    expect(layout.get("classify")).toEqual({ x: 300, y: 510 });
    expect(layout.get("worker")).toEqual({ x: 1500, y: 550 });
    expect(layout.get("__start__")!.y).toBeLessThan(510);
    expect(layout.get("__end__")!.y).toBeGreaterThan(550);
  });
});

describe("React Flow data", () => {
  it("draws each node at its place with its state, and each edge with its kind and whether it was taken", () => {
    const view = overlay(billingRun, "running");
    const labels = { node: (n: { id: string; state: string }) => `${n.id}: ${n.state}`, edge: () => "edge" };
    const nodes = toFlowNodes(view, layoutGraph(TRIAGE), "worker", labels);
    expect(nodes.find((n) => n.id === "worker")).toMatchObject({
      type: "agentNode",
      selected: true,
      ariaLabel: "worker: running",
      className: "run-flow-node run-flow-node--running",
    });
    expect(nodes.find((n) => n.id === "__start__")!.type).toBe("terminalNode");
    expect(nodes.every((n) => Number.isFinite(n.position.x) && Number.isFinite(n.position.y))).toBe(true);
    const edges = toFlowEdges(view, labels);
    expect(edges.find((e) => e.id === "1:classify->tech")!.className).toBe(
      "run-edge run-edge--conditional run-edge--not_taken",
    );
    expect(edges.find((e) => e.id === "2:billing->worker")).toMatchObject({
      className: "run-edge run-edge--fan_out run-edge--taken",
      data: { view: expect.objectContaining({ count: 3 }) },
    });
  });

  it("labels a condition's outcomes, its default and a fan-out's count", () => {
    const t = (key: string, options?: Record<string, unknown>) =>
      options ? `${key}(${JSON.stringify(options)})` : key;
    const view = overlay(billingRun, "running");
    const byId = (id: string) => view.edges.find((e) => e.id === id)!;
    expect(edgeLabel(t, byId("1:classify->billing"))).toBe("billing");
    expect(edgeLabel(t, byId("1:classify->other"))).toBe("other · edge.default");
    expect(edgeLabel(t, byId("2:billing->worker"))).toBe('edge.fanOutCount({"count":3})');
    expect(edgeLabel(t, byId("0:__start__->classify"))).toBeNull();
  });
});

describe("the shown run", () => {
  it("reads a live run's node runs and stage, and a record's", () => {
    const view = { ...INITIAL_RUN_VIEW, phase: "paused" as const, graph: fold(billingRun) };
    const live = runOnGraph({
      kind: "live",
      run: { executionId: "e", active: true, reconnecting: false, problem: null, view },
    });
    expect(live).toMatchObject({ executionId: "e", stage: "paused", headline: "paused", live: true });
    expect(live.runs.nodes).toHaveLength(5);
    const detail = {
      execution_id: "e",
      agent_id: "a",
      agent_version_id: "v",
      chat_id: null,
      message_id: null,
      status: "interrupted",
      current_node: null,
      error_info: null,
      total_nodes: 1,
      completed_nodes: 0,
      failed_nodes: 0,
      tokens_consumed: 0,
      started_at: "2030-01-01T00:00:00Z",
      completed_at: null,
      nodes: [record("ask", 0, "waiting")],
    };
    const recorded = runOnGraph({
      kind: "record",
      executionId: "e",
      record: { status: "ready", data: detail, error: null },
    });
    expect(recorded).toMatchObject({ stage: "running", headline: "waiting", live: false });
    expect(brief(recorded.runs)).toEqual(["0:ask:0=waiting"]);
    expect(runOnGraph({ kind: "none" })).toMatchObject({ stage: "idle", headline: "idle" });
  });
});

describe("formatDuration", () => {
  it("reads milliseconds, seconds and minutes in the person's language", () => {
    expect(formatDuration(850, "en")).toBe("850 ms");
    expect(formatDuration(2_400, "en")).toBe("2.4 sec");
    expect(formatDuration(42_000, "en")).toBe("42 sec");
    expect(formatDuration(59_700, "en")).toBe("1 min");
    expect(formatDuration(185_000, "en")).toBe("3 min 5 sec");
    expect(formatDuration(185_000, "zh-CN")).toBe("3分钟5秒");
    expect(formatDuration(null, "en")).toBe("");
    expect(formatDuration(-1, "en")).toBe("");
  });
});

describe("panel size", () => {
  it("grows leftwards beside the chat and downwards when stacked, within its limits", () => {
    expect(draggedSize("side", 380, -50, 0)).toBe(430);
    expect(draggedSize("stacked", 300, 0, 40)).toBe(340);
    expect(clampSize(100, 280, 900)).toBe(280);
    expect(clampSize(1200, 280, 900)).toBe(900);
    expect(keyedSize("side", 380, "ArrowLeft", 280, 900)).toBe(412);
    expect(keyedSize("stacked", 300, "ArrowUp", 200, 600)).toBe(268);
    expect(keyedSize("side", 380, "End", 280, 900)).toBe(900);
    expect(keyedSize("side", 380, "a", 280, 900)).toBeNull();
  });
});
