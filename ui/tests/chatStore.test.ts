import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import type { ChatMessage, ChatSummary } from "../src/api/types";
import { LIST_POLL_MS } from "../src/features/chat/chatEntries";
import { retryableExecution, shownRun, type LiveRun } from "../src/features/chat/chatState";
import { runEnding } from "../src/features/chat/runOutcome";
import { ChatStore } from "../src/features/chat/chatStore";
import { spokenText } from "../src/run/speech";
import { frame, json, problem, scriptedFetch, sseResponse, type Handler } from "./helpers/http";

let unexpectedRequests: string[] = [];

/** What the agent's bubble says for a live run. */
const said = (run: LiveRun | null | undefined) => (run ? spokenText(run.speech, run.view.done) : "");

function storeFor(routes: Record<string, Handler[] | Handler>) {
  const tokens = new TokenStore(memoryStorage());
  tokens.set({
    access_token: "a",
    refresh_token: "r",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "user",
  });
  const { fetch, calls, unexpected } = scriptedFetch(routes);
  unexpectedRequests = unexpected;
  return { store: new ChatStore(new ApiClient({ fetch, tokens })), calls };
}

const chat = (id: string, extra: Partial<ChatSummary> = {}): ChatSummary => ({
  id,
  agent_id: "agent-1",
  agent_version_id: "v1",
  title: "hi",
  status: "active",
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-01T00:00:00Z",
  ...extra,
});

const page = (items: unknown[]) => json(200, { items, total: items.length, limit: 100, offset: 0 });

const message = (id: string, role: string, execution: string | null): ChatMessage => ({
  id,
  parent_message_id: null,
  role,
  content: `${role} text`,
  status: "sent",
  message_type: "text",
  workflow_execution_id: execution,
  created_at: "2030-01-01T00:00:00Z",
});

const execution = (id: string, status: string, nodes: unknown[] = []) => ({
  execution_id: id,
  agent_id: "agent-1",
  agent_version_id: "v1",
  chat_id: "c1",
  message_id: "m1",
  status,
  current_node: null,
  error_info: status === "failed" ? { message: "boom" } : null,
  total_nodes: nodes.length,
  completed_nodes: 0,
  failed_nodes: 0,
  tokens_consumed: 0,
  started_at: "2030-01-01T00:00:00Z",
  completed_at: "2030-01-01T00:00:01Z",
  nodes,
});

const node = (name: string, status: string) => ({
  node_name: name,
  node_type: "llm",
  step: 1,
  task_id: `1:${name}:0`,
  status,
  started_at: null,
  completed_at: null,
  duration_ms: 50,
  retry_count: 0,
  error_message: status === "failed" ? "boom" : null,
  tokens_consumed: null,
});

/** A stream that stays open until `release()` is called: a run still going. */
function heldStream(chunks: string[], headers: Record<string, string>) {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const encoder = new TextEncoder();
  const queue = [...chunks];
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = queue.shift();
      if (next !== undefined) return controller.enqueue(encoder.encode(next));
      await gate;
      controller.enqueue(encoder.encode(frame(99, "done", { status: "completed", answer: "late" })));
      controller.close();
    },
  });
  return {
    response: new Response(body, { headers: { "Content-Type": "text/event-stream", ...headers } }),
    release: () => release(),
  };
}

afterEach(async () => {
  vi.useRealTimers();
  // Let background loads (history, records, the list) finish before checking what was asked.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(unexpectedRequests).toEqual([]);
});

describe("ChatStore sending", () => {
  it("creates the chat for a draft, streams the answer, then settles on the stored history and record", async () => {
    const { store, calls } = storeFor({
      "POST /api/v1/chats": () => json(201, chat("chat-1")),
      "POST /api/v1/chat/completions": () =>
        sseResponse(
          [
            frame(0, "node_started", { node: "llm", step: 1 }),
            frame(1, "message", { content: "answer", node: "llm" }),
            frame(2, "done", { status: "completed", answer: "answer", message_id: "m2" }),
          ],
          { headers: { "X-Chat-Id": "chat-1", "X-Execution-Id": "exec-1", "X-Message-Id": "m1" } },
        ),
      "GET /api/v1/chat/history": () =>
        json(200, {
          chat: chat("chat-1"),
          messages: [message("m1", "user", "exec-1"), message("m2", "assistant", "exec-1")],
        }),
      "GET /api/v1/chats": () => page([chat("chat-1")]),
      "GET /api/v1/executions/exec-1": () => json(200, execution("exec-1", "completed", [node("llm", "completed")])),
    });
    const key = store.createDraft({ id: "agent-1", name: "Helper" });
    store.send(key, "  hi there\nsecond line  ");
    await vi.waitFor(() => expect(store.getState().entries["chat-1"]?.records["exec-1"]?.status).toBe("ready"));
    const state = store.getState();
    expect(state.entries[key]).toBeUndefined();
    expect(state.aliases[key]).toBe("chat-1");
    const entry = state.entries["chat-1"]!;
    expect(entry.run!.settled).toBe(true);
    expect(entry.history.data.map((m) => m.id)).toEqual(["m1", "m2"]);
    expect(said(entry.run!)).toBe("answer");
    expect(entry.latestExecutionId).toBe("exec-1");
    // The finished run's record (with durations) replaces the live graph.
    expect(shownRun(entry)).toMatchObject({ kind: "record", executionId: "exec-1" });
    const posts = calls.filter((c) => c.method === "POST");
    expect(posts.map((c) => [c.url, c.body])).toEqual([
      ["/api/v1/chats", { agent_id: "agent-1", title: "hi there" }],
      ["/api/v1/chat/completions", { message: "hi there\nsecond line", chat_id: "chat-1" }],
    ]);
  });

  it("keeps the draft when the chat cannot be created, so the message can be sent again", async () => {
    const { store } = storeFor({
      "POST /api/v1/chats": [() => problem(503, "database down")],
    });
    const key = store.createDraft({ id: "agent-1", name: "Helper" });
    store.send(key, "hello");
    await vi.waitFor(() => expect(store.getState().entries[key]?.run?.problem?.status).toBe(503));
    expect(store.getState().entries[key]!.chatId).toBeNull();
    expect(store.getState().entries[key]!.run!.origin).toBe("send");
  });

  it("keeps a run streaming in one chat while another chat runs too", async () => {
    const a = heldStream([frame(0, "message", { content: "A…", node: "llm" })], { "X-Execution-Id": "ea" });
    const b = heldStream([frame(0, "message", { content: "B…", node: "llm" })], { "X-Execution-Id": "eb" });
    const { store } = storeFor({
      "POST /api/v1/chats": [() => json(201, chat("a")), () => json(201, chat("b"))],
      "POST /api/v1/chat/completions": [() => a.response, () => b.response],
      "GET /api/v1/chat/history": (call) => {
        const id = new URL(call.url, "http://x").searchParams.get("chat_id")!;
        return json(200, { chat: chat(id), messages: [] });
      },
      "GET /api/v1/chats": () => page([]),
      "GET /api/v1/executions/ea": () => json(200, execution("ea", "completed")),
      "GET /api/v1/executions/eb": () => json(200, execution("eb", "completed")),
    });
    store.send(store.createDraft({ id: "agent-1", name: "A" }), "one");
    store.send(store.createDraft({ id: "agent-1", name: "B" }), "two");
    await vi.waitFor(() => {
      expect(said(store.getState().entries.a!.run)).toBe("A…");
      expect(said(store.getState().entries.b!.run)).toBe("B…");
    });
    expect(store.getState().entries.a!.run!.active).toBe(true);
    b.release();
    await vi.waitFor(() => expect(store.getState().entries.b!.run!.active).toBe(false));
    expect(store.getState().entries.a!.run!.active).toBe(true);
    a.release();
    await vi.waitFor(() => expect(store.getState().entries.a!.run!.active).toBe(false));
  });

  it("shows the problem when a message cannot be sent, and refuses a second send while active", async () => {
    const held = heldStream([], { "X-Chat-Id": "c1", "X-Execution-Id": "e1" });
    const { store, calls } = storeFor({
      "GET /api/v1/chat/history": () => json(200, { chat: chat("c1"), messages: [] }),
      "GET /api/v1/executions": () => page([]),
      "POST /api/v1/chat/completions": [
        () => held.response,
        () => problem(409, "this chat already has a run in progress"),
      ],
      "GET /api/v1/chats": () => page([]),
      "GET /api/v1/executions/e1": () => json(200, execution("e1", "completed")),
    });
    store.openChat("c1");
    await vi.waitFor(() => expect(store.getState().entries.c1!.history.status).toBe("ready"));
    store.send("c1", "first");
    store.send("c1", "second"); // ignored: the run is active
    await vi.waitFor(() => expect(store.getState().entries.c1!.run!.executionId).toBe("e1"));
    expect(calls.filter((c) => c.method === "POST").map((c) => c.body)).toEqual([{ message: "first", chat_id: "c1" }]);
    held.release();
    await vi.waitFor(() => expect(store.getState().entries.c1!.run!.active).toBe(false));
    store.send("c1", "third");
    await vi.waitFor(() => expect(store.getState().entries.c1!.run!.problem?.status).toBe(409));
    expect(store.getState().entries.c1!.run!.problem!.detail).toBe("this chat already has a run in progress");
  });

  it("reuses an untouched draft for the same agent", () => {
    const { store } = storeFor({});
    const first = store.createDraft({ id: "agent-1", name: "A" });
    expect(store.createDraft({ id: "agent-1", name: "A" })).toBe(first);
    expect(store.createDraft({ id: "agent-2", name: "B" })).not.toBe(first);
  });

  it("stops every stream on clear", async () => {
    const held = heldStream([], { "X-Chat-Id": "c1", "X-Execution-Id": "e1" });
    const { store } = storeFor({
      "POST /api/v1/chats": () => json(201, chat("c1")),
      "POST /api/v1/chat/completions": () => held.response,
      "GET /api/v1/chats": () => page([]),
    });
    store.send(store.createDraft({ id: "agent-1", name: "A" }), "x");
    await vi.waitFor(() => expect(store.getState().entries.c1?.run?.executionId).toBe("e1"));
    store.clear();
    expect(store.getState().entries).toEqual({});
  });
});

describe("ChatStore opening chats", () => {
  it("re-attaches to the run the chat list reports as active", async () => {
    const { store, calls } = storeFor({
      "GET /api/v1/chats": () => page([chat("c1", { active_execution_id: "exec-9", active_run_status: "running" })]),
      "GET /api/v1/chat/history": [
        () => json(200, { chat: chat("c1"), messages: [message("m1", "user", "exec-9")] }),
        () =>
          json(200, {
            chat: chat("c1"),
            messages: [message("m1", "user", "exec-9"), message("m2", "assistant", "exec-9")],
          }),
      ],
      "GET /api/v1/executions/exec-9/events": () =>
        sseResponse([
          frame(0, "message", { content: "resumed", node: "llm" }),
          frame(1, "done", { status: "completed", message_id: "m2" }),
        ]),
      "GET /api/v1/executions/exec-9": () => json(200, execution("exec-9", "completed")),
    });
    await store.refreshChats();
    store.openChat("c1");
    await vi.waitFor(() => expect(store.getState().entries.c1!.run?.settled).toBe(true));
    const events = calls.find((c) => c.url.includes("/events"))!;
    expect(events.headers["Last-Event-ID"]).toBeUndefined();
    expect(store.getState().entries.c1!.run!.origin).toBe("attach");
    expect(store.getState().entries.c1!.run!.userText).toBeNull();
    // The list was not asked for the chat's runs: it already named the active one.
    expect(calls.some((c) => c.url.startsWith("/api/v1/executions?"))).toBe(false);
  });

  it("shows an old chat's latest recorded run without streaming anything", async () => {
    const { store, calls } = storeFor({
      "GET /api/v1/chat/history": () =>
        json(200, { chat: chat("c1"), messages: [message("m1", "user", "e1"), message("m2", "assistant", "e1")] }),
      "GET /api/v1/executions": () => page([execution("e1", "completed")]),
      "GET /api/v1/executions/e1": () => json(200, execution("e1", "completed", [node("llm", "completed")])),
    });
    store.openChat("c1");
    await vi.waitFor(() => expect(store.getState().entries.c1!.records.e1?.status).toBe("ready"));
    const entry = store.getState().entries.c1!;
    expect(entry.run).toBeNull();
    expect(shownRun(entry)).toMatchObject({ kind: "record", executionId: "e1" });
    expect(retryableExecution(entry)).toBeNull();
    expect(calls.find((c) => c.url.startsWith("/api/v1/executions?"))!.url).toBe(
      "/api/v1/executions?chat_id=c1&limit=1",
    );
    expect(calls.some((c) => c.url.includes("/events"))).toBe(false);
  });

  it("follows a chat's newest run when the run list says it is still going", async () => {
    const { store } = storeFor({
      "GET /api/v1/chat/history": () => json(200, { chat: chat("c1"), messages: [message("m1", "user", "e1")] }),
      "GET /api/v1/executions": () => page([execution("e1", "interrupted")]),
      "GET /api/v1/executions/e1/events": () =>
        sseResponse([
          frame(0, "waiting_for_human", { node: "ask", step: 1, task_id: "t1", instruction: "Approve?", priority: 6 }),
        ]),
    });
    store.openChat("c1");
    await vi.waitFor(() => expect(store.getState().entries.c1!.run?.view.phase).toBe("waiting"));
    expect(store.getState().entries.c1!.run!.view.waiting).toMatchObject({ taskId: "t1", instruction: "Approve?" });
    store.clear();
  });

  it("shows nothing of an approval run's internal steps while it waits for a reviewer", async () => {
    const { store } = storeFor({
      "GET /api/v1/chat/history": () => json(200, { chat: chat("c1"), messages: [message("m1", "user", "e1")] }),
      "GET /api/v1/executions": () => page([execution("e1", "interrupted")]),
      "GET /api/v1/executions/e1/events": () =>
        sseResponse([
          frame(0, "node_started", { node: "propose", step: 1 }),
          frame(1, "message", { content: '{"arguments": {}, ', node: "propose", type: "text" }),
          frame(2, "message", { content: '"summary": "Refund order 42"}', node: "propose", type: "text" }),
          frame(3, "node_completed", { node: "propose", step: 1 }),
          frame(4, "node_started", { node: "approve", step: 2 }),
          frame(5, "waiting_for_human", { node: "approve", step: 2, task_id: "t1", instruction: "Approve?" }),
        ]),
    });
    store.openChat("c1");
    await vi.waitFor(() => expect(store.getState().entries.c1!.run?.view.phase).toBe("waiting"));
    const run = store.getState().entries.c1!.run!;
    expect(said(run)).toBe("");
    expect(run.timeline).toEqual([{ kind: "waiting", node: "approve", instruction: "Approve?" }]);
    store.clear();
  });

  it("shows a run's record when the user picks an older message", async () => {
    const { store } = storeFor({
      "GET /api/v1/chat/history": () =>
        json(200, {
          chat: chat("c1"),
          messages: [message("m2", "assistant", "old"), message("m4", "assistant", "new")],
        }),
      "GET /api/v1/executions": () => page([execution("new", "completed")]),
      "GET /api/v1/executions/new": () => json(200, execution("new", "completed")),
      "GET /api/v1/executions/old": () => json(200, execution("old", "completed", [node("a", "completed")])),
    });
    store.openChat("c1");
    await vi.waitFor(() => expect(store.getState().entries.c1!.records.new?.status).toBe("ready"));
    store.showRun("c1", "old");
    await vi.waitFor(() => expect(store.getState().entries.c1!.records.old?.status).toBe("ready"));
    expect(shownRun(store.getState().entries.c1!)).toMatchObject({ kind: "record", executionId: "old" });
  });
});

describe("ChatStore retry", () => {
  it("retries the failed latest run from its failed step and follows the new run", async () => {
    const { store, calls } = storeFor({
      "GET /api/v1/chat/history": [
        () => json(200, { chat: chat("c1"), messages: [message("m1", "user", "e1")] }),
        () =>
          json(200, { chat: chat("c1"), messages: [message("m1", "user", "e1"), message("m2", "assistant", "e2")] }),
      ],
      "GET /api/v1/executions": () => page([execution("e1", "failed")]),
      "GET /api/v1/executions/e1": () => json(200, execution("e1", "failed", [node("llm", "failed")])),
      "POST /api/v1/executions/e1/retry": () => json(201, { execution_id: "e2", retry_of: "e1", reused_tasks: [] }),
      "GET /api/v1/executions/e2/events": () =>
        sseResponse([
          frame(0, "node_started", { node: "llm", step: 1 }),
          frame(1, "message", { content: "second time lucky", node: "llm" }),
          frame(2, "done", { status: "completed", message_id: "m2", answer: "second time lucky" }),
        ]),
      "GET /api/v1/chats": () => page([]),
      "GET /api/v1/executions/e2": () => json(200, execution("e2", "completed")),
    });
    store.openChat("c1");
    await vi.waitFor(() => expect(retryableExecution(store.getState().entries.c1!)).toBe("e1"));
    store.retry("c1");
    await vi.waitFor(() => expect(store.getState().entries.c1!.run?.settled).toBe(true));
    const entry = store.getState().entries.c1!;
    expect(entry.run!.origin).toBe("retry");
    expect(entry.latestExecutionId).toBe("e2");
    expect(said(entry.run!)).toBe("second time lucky");
    expect(retryableExecution(entry)).toBeNull();
    expect(calls.filter((c) => c.method === "POST").map((c) => c.url)).toEqual(["/api/v1/executions/e1/retry"]);
  });

  it("offers to retry again when the retried run fails too", async () => {
    const { store } = storeFor({
      "GET /api/v1/chat/history": () => json(200, { chat: chat("c1"), messages: [message("m1", "user", "e1")] }),
      "GET /api/v1/executions": () => page([execution("e1", "cancelled")]),
      "GET /api/v1/executions/e1": () => json(200, execution("e1", "cancelled")),
      "POST /api/v1/executions/e1/retry": () => json(201, { execution_id: "e2" }),
      "GET /api/v1/executions/e2/events": () =>
        sseResponse([
          frame(0, "node_failed", { node: "llm", step: 1, error: "again" }),
          frame(1, "done", { status: "failed" }),
        ]),
      "GET /api/v1/chats": () => page([]),
      "GET /api/v1/executions/e2": () => json(200, execution("e2", "failed")),
    });
    store.openChat("c1");
    await vi.waitFor(() => expect(retryableExecution(store.getState().entries.c1!)).toBe("e1"));
    store.retry("c1");
    await vi.waitFor(() => expect(store.getState().entries.c1!.run?.active).toBe(false));
    expect(retryableExecution(store.getState().entries.c1!)).toBe("e2");
  });

  it("calls a stopped run stopped, even where its record shows the interrupted node as failed", async () => {
    const { store } = storeFor({
      "GET /api/v1/chat/history": [
        () => json(200, { chat: chat("c1"), messages: [message("m1", "user", "e1")] }),
        () => json(200, { chat: chat("c1"), messages: [message("m1", "user", "e1")] }),
      ],
      "GET /api/v1/executions": () => page([execution("e1", "running")]),
      "GET /api/v1/executions/e1/events": () =>
        sseResponse([
          frame(0, "node_started", { node: "llm", step: 1 }),
          frame(1, "message", { content: "Half", node: "llm" }),
          frame(2, "cancelled", { step: 1 }),
          frame(3, "done", { status: "cancelled" }),
        ]),
      "GET /api/v1/chats": () => page([]),
      // The activity could not report to the ended run and recorded its node as failed.
      "GET /api/v1/executions/e1": () =>
        json(200, {
          ...execution("e1", "cancelled", [node("llm", "failed")]),
          nodes: [{ ...node("llm", "failed"), error_message: "workflow execution already completed" }],
        }),
    });
    store.openChat("c1");
    await vi.waitFor(() => expect(store.getState().entries.c1!.records.e1?.status).toBe("ready"));
    const entry = store.getState().entries.c1!;
    expect(entry.run!.timeline).toEqual([{ kind: "stopped" }]);
    expect(said(entry.run)).toBe("Half");
    expect(retryableExecution(entry)).toBe("e1");
    expect(runEnding(entry, "e1")).toEqual({ outcome: "stopped", node: "llm", error: null });
  });

  it("reports a refused retry on the run", async () => {
    const { store } = storeFor({
      "GET /api/v1/chat/history": () => json(200, { chat: chat("c1"), messages: [message("m1", "user", "e1")] }),
      "GET /api/v1/executions": () => page([execution("e1", "failed")]),
      "GET /api/v1/executions/e1": () => json(200, execution("e1", "failed")),
      "POST /api/v1/executions/e1/retry": () => problem(409, "this run predates retry support"),
    });
    store.openChat("c1");
    await vi.waitFor(() => expect(retryableExecution(store.getState().entries.c1!)).toBe("e1"));
    store.retry("c1");
    await vi.waitFor(() => expect(store.getState().entries.c1!.run?.problem?.status).toBe(409));
    // Still the failed run: the button stays.
    expect(retryableExecution(store.getState().entries.c1!)).toBe("e1");
  });
});

describe("ChatStore list and actions", () => {
  it("searches and switches to archived chats; an older answer never overwrites a newer one", async () => {
    let releaseSlow: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    const { store, calls } = storeFor({
      "GET /api/v1/chats": [
        async () => {
          await slow;
          return page([chat("stale")]);
        },
        () => page([chat("found", { title: "Budget" })]),
        () => page([chat("old", { status: "archived" })]),
      ],
    });
    const first = store.refreshChats();
    store.setChatFilter({ q: " budget " });
    await vi.waitFor(() => expect(store.getState().chats.data.map((c) => c.id)).toEqual(["found"]));
    releaseSlow();
    await first;
    expect(store.getState().chats.data.map((c) => c.id)).toEqual(["found"]);
    store.setChatFilter({ q: "", status: "archived" });
    await vi.waitFor(() => expect(store.getState().chats.data.map((c) => c.id)).toEqual(["old"]));
    expect(calls.map((c) => c.url)).toEqual([
      "/api/v1/chats?status=active&limit=100",
      "/api/v1/chats?q=budget&status=active&limit=100",
      "/api/v1/chats?status=archived&limit=100",
    ]);
  });

  it("reloads the list while a chat not followed here has a run going", async () => {
    vi.useFakeTimers();
    const { store, calls } = storeFor({
      "GET /api/v1/chats": [
        () => page([chat("c1", { active_execution_id: "e1", active_run_status: "running" })]),
        () => page([chat("c1")]),
      ],
    });
    await store.refreshChats();
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(LIST_POLL_MS);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(LIST_POLL_MS * 3);
    expect(calls).toHaveLength(2); // nothing runs any more
  });

  it("renames, archives, upgrades and deletes", async () => {
    const { store, calls } = storeFor({
      "GET /api/v1/agents": () => page([{ id: "agent-1", name: "A", current_version: { id: "v2", version: "2.0.0" } }]),
      "GET /api/v1/chats": [
        () => page([chat("c1", { agent_version: "1.0.0" }), chat("c2", { agent_version: "1.0.0" })]),
        () => page([chat("c2")]),
        () => page([chat("c2", { agent_version_id: "v2" })]),
        () => page([]),
      ],
      "GET /api/v1/chat/history": () => json(200, { chat: chat("c2"), messages: [] }),
      "GET /api/v1/executions": () => page([]),
      "PATCH /api/v1/chats/c1": [
        () => json(200, chat("c1", { title: "Renamed" })),
        () => json(200, chat("c1", { title: "Renamed", status: "archived" })),
      ],
      "POST /api/v1/chats/c2/upgrade": () => json(200, chat("c2", { agent_version_id: "v2" })),
      "DELETE /api/v1/chats/c2": [
        () => problem(409, "the chat has a run in progress"),
        () => new Response(null, { status: 204 }),
      ],
    });
    await store.refreshChats();
    await store.refreshAgents();
    store.openChat("c1");
    store.openChat("c2");
    await store.rename("c1", "  Renamed ");
    expect(store.getState().entries.c1!.chat!.title).toBe("Renamed");
    expect(store.getState().chats.data.find((c) => c.id === "c1")!.title).toBe("Renamed");
    await store.setArchived("c1", true);
    // Archived chats leave the active list at once.
    expect(store.getState().chats.data.map((c) => c.id)).toEqual(["c2"]);
    await store.upgrade("c2");
    expect(store.getState().entries.c2!.chat).toMatchObject({ agent_version_id: "v2", agent_version: "2.0.0" });
    await expect(store.remove("c2")).rejects.toMatchObject({ status: 409 });
    expect(store.getState().entries.c2).toBeDefined();
    await store.remove("c2");
    expect(store.getState().entries.c2).toBeUndefined();
    expect(calls.filter((c) => c.method === "PATCH").map((c) => c.body)).toEqual([
      { title: "Renamed" },
      { status: "archived" },
    ]);
  });
});
