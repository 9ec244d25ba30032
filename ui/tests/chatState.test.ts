import { describe, expect, it } from "vitest";
import type { ExecutionDetail } from "../src/api/executions";
import type { AgentSummary, ChatMessage } from "../src/api/types";
import { INITIAL_RUN_VIEW, type RunView } from "../src/run/runView";
import {
  controllableRun,
  latestExecution,
  newEntry,
  retryableExecution,
  runBadge,
  shownRun,
  upgradeTarget,
  type ChatEntry,
  type LiveRun,
} from "../src/features/chat/chatState";

const run = (patch: Partial<LiveRun> = {}, view: Partial<RunView> = {}): LiveRun => ({
  origin: "send",
  executionId: "e1",
  userText: "hi",
  view: { ...INITIAL_RUN_VIEW, ...view },
  active: true,
  reconnecting: false,
  problem: null,
  settled: false,
  ...patch,
});

const done = (status: string) =>
  ({ type: "done", status, executionId: "e1", chatId: null, messageId: null, answer: null }) as const;

const entryWith = (patch: Partial<ChatEntry>): ChatEntry => ({ ...newEntry("c1", "c1", "a1"), ...patch });

const record = (status: string): { status: "ready"; data: ExecutionDetail; error: null } => ({
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
    nodes: [],
  },
  error: null,
});

describe("runBadge", () => {
  it("prefers the run followed here, by phase", () => {
    expect(runBadge(null, run())).toMatchObject({ kind: "running", label: "running" });
    expect(runBadge(null, run({}, { phase: "paused" }))!.kind).toBe("paused");
    expect(runBadge(null, run({}, { phase: "waiting" }))).toMatchObject({
      kind: "waiting",
      label: "review",
      description: "The run is waiting for a reviewer",
    });
  });

  it("reads the list's active run status otherwise", () => {
    expect(runBadge({ active_run_status: "pending" }, null)!.kind).toBe("running");
    expect(runBadge({ active_run_status: "running" }, null)!.kind).toBe("running");
    expect(runBadge({ active_run_status: "paused" }, null)!.kind).toBe("paused");
    expect(runBadge({ active_run_status: "interrupted" }, null)!.kind).toBe("waiting");
    expect(runBadge({ active_run_status: null }, null)).toBeNull();
  });

  it("trusts a run that just ended here over a stale list", () => {
    expect(runBadge({ active_run_status: "running" }, run({ active: false }, { done: done("completed") }))).toBeNull();
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
