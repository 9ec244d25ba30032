import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import type { ChatMessage } from "../src/api/types";
import { runText } from "../src/run/runView";
import { ChatStore } from "../src/store/chatStore";
import { frame, json, problem, scriptedFetch, sseResponse, type Handler } from "./helpers/http";

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
  const { fetch, calls } = scriptedFetch(routes);
  return { store: new ChatStore(new ApiClient({ fetch, tokens })), calls };
}

const chat = (id: string) => ({
  id,
  agent_id: "agent-1",
  agent_version_id: "v1",
  title: "hi",
  status: "active",
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-01T00:00:00Z",
});

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

describe("ChatStore", () => {
  it("turns a draft into a chat, streams the answer, then settles on the stored history", async () => {
    const { store, calls } = storeFor({
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
      "GET /api/v1/chats": () => json(200, { items: [chat("chat-1")], total: 1, limit: 100, offset: 0 }),
    });
    const key = store.createDraft({ id: "agent-1", name: "Helper" });
    store.send(key, "  hi  ");
    await vi.waitFor(() => expect(store.getState().entries["chat-1"]?.run?.settled).toBe(true));
    const state = store.getState();
    expect(state.entries[key]).toBeUndefined();
    expect(state.aliases[key]).toBe("chat-1");
    const entry = state.entries["chat-1"]!;
    expect(entry.history.data.map((m) => m.id)).toEqual(["m1", "m2"]);
    expect(runText(entry.run!.view)).toBe("answer");
    expect(entry.run!.view.graph.nodes).toHaveLength(1);
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ message: "hi", agent_id: "agent-1" });
  });

  it("keeps a run streaming in one chat while another chat runs too", async () => {
    const a = heldStream([frame(0, "message", { content: "A…", node: "llm" })], {
      "X-Chat-Id": "a",
      "X-Execution-Id": "ea",
    });
    const b = heldStream([frame(0, "message", { content: "B…", node: "llm" })], {
      "X-Chat-Id": "b",
      "X-Execution-Id": "eb",
    });
    const { store } = storeFor({
      "POST /api/v1/chat/completions": [() => a.response, () => b.response],
      "GET /api/v1/chat/history": (call) => {
        const id = new URL(call.url, "http://x").searchParams.get("chat_id")!;
        return json(200, { chat: chat(id), messages: [] });
      },
      "GET /api/v1/chats": () => json(200, { items: [], total: 0, limit: 100, offset: 0 }),
    });
    store.send(store.createDraft({ id: "agent-1", name: "A" }), "one");
    store.send(store.createDraft({ id: "agent-1", name: "B" }), "two");
    await vi.waitFor(() => {
      expect(runText(store.getState().entries.a!.run!.view)).toBe("A…");
      expect(runText(store.getState().entries.b!.run!.view)).toBe("B…");
    });
    expect(store.getState().entries.a!.run!.active).toBe(true);
    expect(store.getState().entries.b!.run!.active).toBe(true);
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
      "POST /api/v1/chat/completions": [
        () => held.response,
        () => problem(409, "this chat already has a run in progress"),
      ],
      "GET /api/v1/chats": () => json(200, { items: [], total: 0, limit: 100, offset: 0 }),
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

  it("re-attaches to a run still going when a chat is opened", async () => {
    const { store, calls } = storeFor({
      "GET /api/v1/chat/history": [
        () => json(200, { chat: chat("c1"), messages: [message("m1", "user", "exec-9")] }),
        () =>
          json(200, {
            chat: chat("c1"),
            messages: [message("m1", "user", "exec-9"), message("m2", "assistant", "exec-9")],
          }),
      ],
      "GET /api/v1/chat/executions/exec-9/events": () =>
        sseResponse([
          frame(0, "message", { content: "resumed", node: "llm" }),
          frame(1, "done", { status: "completed", message_id: "m2" }),
        ]),
      "GET /api/v1/chats": () => json(200, { items: [], total: 0, limit: 100, offset: 0 }),
    });
    store.openChat("c1");
    await vi.waitFor(() => expect(store.getState().entries.c1!.run?.settled).toBe(true));
    expect(calls.find((c) => c.url.includes("/events"))!.headers["Last-Event-ID"]).toBeUndefined();
    expect(store.getState().entries.c1!.run!.userText).toBeNull();
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
      "POST /api/v1/chat/completions": () => held.response,
      "GET /api/v1/chats": () => json(200, { items: [] }),
    });
    store.send(store.createDraft({ id: "agent-1", name: "A" }), "x");
    await vi.waitFor(() => expect(store.getState().entries.c1?.run?.executionId).toBe("e1"));
    store.clear();
    expect(store.getState().entries).toEqual({});
  });
});
