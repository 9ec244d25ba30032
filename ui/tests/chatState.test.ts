import { describe, expect, it } from "vitest";
import type { ExecutionDetail } from "../src/api/executions";
import type { AgentSummary, ChatMessage } from "../src/api/types";
import { INITIAL_RUN_VIEW, type RunView } from "../src/run/runView";
import type { DecodedEvent, RunEvent } from "../src/sse/runEvents";
import {
  applyRunEvent,
  controllableRun,
  latestExecution,
  newEntry,
  newLiveRun,
  retryableExecution,
  runBadge,
  shownRun,
  upgradeTarget,
  type ChatEntry,
  type LiveRun,
} from "../src/features/chat/chatState";
import { runEnding, runOutcome, visibleErrors } from "../src/features/chat/runOutcome";
import { spokenText } from "../src/run/speech";

const run = (patch: Partial<LiveRun> = {}, view: Partial<RunView> = {}): LiveRun => ({
  ...newLiveRun("send", "e1", "hi"),
  view: { ...INITIAL_RUN_VIEW, ...view },
  ...patch,
});

/** Fold events (offsets 0, 1, 2…) into a fresh live run, as the chat store does. */
const follow = (events: RunEvent[], from: LiveRun = newLiveRun("send", "e1", "hi")): LiveRun =>
  events.reduce((r, event, index): LiveRun => applyRunEvent(r, { offset: index, event } as DecodedEvent), from);

const done = (status: string) =>
  ({ type: "done", status, executionId: "e1", chatId: null, messageId: null, answer: null }) as const;

const entryWith = (patch: Partial<ChatEntry>): ChatEntry => ({ ...newEntry("c1", "c1", "a1"), ...patch });

const record = (
  status: string,
  nodes: ExecutionDetail["nodes"] = [],
): { status: "ready"; data: ExecutionDetail; error: null } => ({
  status: "ready",
  data: {
    execution_id: "e1",
    agent_id: "a1",
    agent_version_id: "v1",
    chat_id: "c1",
    message_id: null,
    status,
    current_node: null,
    error_info: null,
    total_nodes: 0,
    completed_nodes: 0,
    failed_nodes: 0,
    tokens_consumed: 0,
    started_at: "2030-01-01T00:00:00Z",
    completed_at: null,
    nodes,
  },
  error: null,
});

describe("runBadge", () => {
  it("prefers the run followed here, by phase", () => {
    expect(runBadge(null, run())).toBe("running");
    expect(runBadge(null, run({}, { phase: "paused" }))).toBe("paused");
    expect(runBadge(null, run({}, { phase: "waiting" }))).toBe("waiting");
  });

  it("reads the list's active run status otherwise", () => {
    expect(runBadge({ active_run_status: "pending" }, null)).toBe("running");
    expect(runBadge({ active_run_status: "running" }, null)).toBe("running");
    expect(runBadge({ active_run_status: "paused" }, null)).toBe("paused");
    expect(runBadge({ active_run_status: "interrupted" }, null)).toBe("waiting");
    expect(runBadge({ active_run_status: null }, null)).toBeNull();
  });

  it("trusts a run that just ended here over a stale list", () => {
    expect(runBadge({ active_run_status: "running" }, run({ active: false }, { done: done("completed") }))).toBeNull();
  });

  it("says nothing runs once the run is stopped, even before its stream closes", () => {
    expect(runBadge({ active_run_status: "running" }, run({}, { phase: "cancelled" }))).toBeNull();
  });
});

describe("upgradeTarget", () => {
  const agents = [{ id: "a1", current_version: { id: "v2", version: "1.1.0" } }] as AgentSummary[];
  it("offers the agent's current version when the chat is on another one", () => {
    expect(upgradeTarget({ agent_id: "a1", agent_version_id: "v1" }, agents)).toEqual({ id: "v2", version: "1.1.0" });
    expect(upgradeTarget({ agent_id: "a1", agent_version_id: "v2" }, agents)).toBeNull();
    expect(upgradeTarget({ agent_id: "other", agent_version_id: "v1" }, agents)).toBeNull();
    expect(upgradeTarget(null, agents)).toBeNull();
  });
});

describe("latestExecution", () => {
  it("finds the last message that names a run", () => {
    const m = (id: string, execution: string | null) => ({ id, workflow_execution_id: execution }) as ChatMessage;
    expect(latestExecution([m("1", "e1"), m("2", "e2"), m("3", null)])).toBe("e2");
    expect(latestExecution([m("1", null)])).toBeNull();
  });
});

describe("retryableExecution", () => {
  it("offers a retry after the live run failed or was stopped, not while it runs or after success", () => {
    expect(retryableExecution(entryWith({ run: run({ active: false }, { done: done("failed") }) }))).toBe("e1");
    expect(retryableExecution(entryWith({ run: run({ active: false }, { done: done("cancelled") }) }))).toBe("e1");
    expect(retryableExecution(entryWith({ run: run({ active: false }, { done: done("completed") }) }))).toBeNull();
    expect(retryableExecution(entryWith({ run: run() }))).toBeNull();
  });

  it("uses the latest run's record when no run is followed here", () => {
    expect(retryableExecution(entryWith({ latestExecutionId: "e1", records: { e1: record("failed") } }))).toBe("e1");
    expect(retryableExecution(entryWith({ latestExecutionId: "e1", records: { e1: record("completed") } }))).toBeNull();
    expect(retryableExecution(entryWith({ latestExecutionId: "e1" }))).toBeNull(); // not loaded yet
  });
});

describe("shownRun", () => {
  it("shows the live run while it runs, then its record once loaded", () => {
    expect(shownRun(entryWith({ run: run(), shownExecutionId: "e1", records: { e1: record("running") } })).kind).toBe(
      "live",
    );
    const finished = entryWith({
      run: run({ active: false }, { done: done("completed") }),
      shownExecutionId: "e1",
      records: { e1: record("completed") },
    });
    expect(shownRun(finished)).toMatchObject({ kind: "record", executionId: "e1" });
    expect(shownRun(entryWith({ run: run({ active: false }), shownExecutionId: "e1" })).kind).toBe("live");
  });

  it("shows another run's record when picked, and nothing without any run", () => {
    const picked = entryWith({ run: run(), shownExecutionId: "old", records: { old: record("completed") } });
    expect(shownRun(picked)).toMatchObject({ kind: "record", executionId: "old" });
    expect(shownRun(entryWith({})).kind).toBe("none");
  });
});

describe("controllableRun", () => {
  it("needs an active run with an execution id in a live phase", () => {
    expect(controllableRun(run())).toBe(true);
    expect(controllableRun(run({}, { phase: "paused" }))).toBe(true);
    expect(controllableRun(run({ executionId: null }))).toBe(false);
    expect(controllableRun(run({ active: false }))).toBe(false);
    expect(controllableRun(run({}, { phase: "completed" }))).toBe(false);
    expect(controllableRun(null)).toBe(false);
  });
});

describe("after a stop", () => {
  const node = (name: string, status: string, error: string | null = null) =>
    ({ node_name: name, node_type: "llm", step: 1, status, error_message: error }) as ExecutionDetail["nodes"][number];

  it("calls a cancelled run stopped from its `cancelled` event on, not failed", () => {
    const stopping = follow([
      { type: "node_started", node: "llm", step: 1, taskId: null },
      { type: "message", content: "Hel", node: "llm" },
      { type: "cancelled" },
    ]);
    expect(runOutcome(stopping)).toBe("stopped");
    expect(stopping.timeline).toEqual([{ kind: "stopped" }]);
    const stopped = follow(
      [{ type: "done", status: "cancelled", executionId: "e1", chatId: null, messageId: null, answer: null }],
      stopping,
    );
    expect(runOutcome(stopped)).toBe("stopped");
    expect(stopped.timeline).toEqual([{ kind: "stopped" }]); // one line, not two
    expect(runOutcome(follow([done("failed")]))).toBe("failed");
    expect(runOutcome(run())).toBeNull();
  });

  it("says stopped when the stream is joined after the `cancelled` event", () => {
    expect(follow([done("cancelled")]).timeline).toEqual([{ kind: "stopped" }]);
  });

  it("does not show what the teardown reported as the run's errors", () => {
    const stopped = follow([
      { type: "cancelled" },
      { type: "error", content: "workflow execution already completed", node: "llm" },
      done("cancelled"),
    ]);
    expect(stopped.view.errors).toHaveLength(1);
    expect(visibleErrors(stopped)).toEqual([]);
    const failed = follow([{ type: "error", content: "boom", node: "llm" }, done("failed")]);
    expect(visibleErrors(failed)).toEqual([{ node: "llm", message: "boom" }]);
  });

  it("names where a recorded stop happened without blaming the node it interrupted", () => {
    const entry = entryWith({
      latestExecutionId: "e1",
      records: {
        e1: record("cancelled", [
          node("propose", "completed"),
          node("approve", "failed", "workflow execution already completed"),
        ]),
      },
    });
    expect(runEnding(entry, "e1")).toEqual({ outcome: "stopped", node: "approve", error: null });
  });

  it("takes a stop from the live run even when a node reported a failure", () => {
    const live = follow([
      { type: "node_started", node: "llm", step: 1, taskId: null },
      { type: "node_failed", node: "llm", step: 1, error: "workflow execution already completed" },
      { type: "cancelled" },
      done("cancelled"),
    ]);
    expect(runEnding(entryWith({ run: { ...live, active: false } }), "e1")).toEqual({
      outcome: "stopped",
      node: null,
      error: null,
    });
  });

  it("still names the failed node and its error after a failure", () => {
    const failed = follow([{ type: "error", content: "boom", node: "llm" }, done("failed")]);
    expect(runEnding(entryWith({ run: { ...failed, active: false } }), "e1")).toEqual({
      outcome: "failed",
      node: "llm",
      error: "boom",
    });
    const recorded = entryWith({ records: { e1: record("failed", [node("llm", "failed", "bad gateway")]) } });
    expect(runEnding(recorded, "e1")).toEqual({ outcome: "failed", node: "llm", error: "bad gateway" });
  });
});

describe("applyRunEvent", () => {
  it("ignores an event replayed after a reconnect", () => {
    const once = applyRunEvent(newLiveRun("send", "e1", "hi"), {
      offset: 4,
      event: { type: "message", content: "Hi", node: "llm" },
    });
    const again = applyRunEvent(once, { offset: 4, event: { type: "message", content: "Hi", node: "llm" } });
    expect(again).toBe(once);
    expect(again.speech).toEqual([{ node: "llm", text: "Hi", finished: false }]);
  });

  it("streams text across a reconnect that repeats events, without repeating words or notices", () => {
    const says = (content: string): RunEvent => ({ type: "message", content, node: "llm" });
    const at = (offset: number, event: RunEvent): DecodedEvent => ({ offset, event });
    const first = [at(0, says("a")), at(1, { type: "paused" }), at(2, says("b"))].reduce(
      applyRunEvent,
      newLiveRun("send", "e1", "hi"),
    );
    const again = [at(1, { type: "paused" }), at(2, says("b")), at(3, says("c"))].reduce(applyRunEvent, first);
    expect(spokenText(again.speech, again.view.done)).toBe("abc");
    expect(again.timeline).toEqual([{ kind: "paused" }]);
    expect(again.view.lastOffset).toBe(3);
  });

  it("applies events without an offset (the server's own error frame)", () => {
    const events: DecodedEvent[] = [
      { offset: null, event: { type: "message", content: "a", node: "llm" } },
      { offset: null, event: { type: "message", content: "b", node: "llm" } },
      { offset: null, event: { type: "error", content: "stream failed", node: null } },
    ];
    const run = events.reduce(applyRunEvent, newLiveRun("send", "e1", "hi"));
    expect(spokenText(run.speech, null)).toBe("ab");
    expect(run.view.errors).toEqual([{ node: null, message: "stream failed" }]);
  });
});
