import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { ApiError } from "../src/api/problem";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import type { TokenPair } from "../src/api/types";
import { applyRunEvent, newLiveRun, type LiveRun } from "../src/features/chat/chatState";
import { spokenText } from "../src/run/speech";
import { followExecution, runCompletion, type RunStarted } from "../src/sse/followRun";
import type { DecodedEvent } from "../src/sse/runEvents";
import { frame, json, problem, scriptedFetch, sseResponse, type Handler, type RecordedCall } from "./helpers/http";

const NOW = Date.parse("2030-01-01T00:00:00Z");

function pair(access: string): TokenPair {
  return {
    access_token: access,
    refresh_token: `refresh-of-${access}`,
    token_type: "bearer",
    expires_at: new Date(NOW + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "user",
  };
}

function clientFor(routes: Record<string, Handler[] | Handler>) {
  const tokens = new TokenStore(memoryStorage());
  tokens.set(pair("a"));
  const { fetch, calls, unexpected } = scriptedFetch(routes);
  const onSessionExpired = vi.fn();
  const client = new ApiClient({ fetch, tokens, onSessionExpired, now: () => NOW });
  return { client, calls, unexpected, onSessionExpired };
}

/** A response whose body yields these exact byte chunks (to split a frame, or a character, anywhere). */
function byteResponse(chunks: Uint8Array[]): Response {
  const queue = [...chunks];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = queue.shift();
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
  return new Response(body, { headers: { "Content-Type": "text/event-stream" } });
}

/** An SSE response that sends `chunks` and then stays open: a run still going. */
function openResponse(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
    },
  });
  return new Response(body, { headers: { "Content-Type": "text/event-stream" } });
}

const noWait = () => 0;
const EVENTS = "/api/v1/executions/exec-1/events";
const HEADERS = { "X-Chat-Id": "chat-1", "X-Execution-Id": "exec-1", "X-Message-Id": "msg-1" };
const types = (events: DecodedEvent[]) => events.map((e) => `${e.offset}:${e.event.type}`);
const eventCalls = (calls: RecordedCall[]) => calls.filter((c) => c.url === EVENTS);
/** What the chat shows the agent saying, from the events folded as the chat store folds them. */
const said = (run: LiveRun) => spokenText(run.speech, run.view.done);

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("runCompletion", () => {
  it("reports the ids from the headers and decodes the events in order, skipping heartbeats", async () => {
    const { client, calls } = clientFor({
      "POST /api/v1/chat/completions": () =>
        sseResponse(
          [
            frame(0, "node_started", { node: "llm", step: 1 }),
            ": keep-alive\n\n",
            frame(1, "message", { content: "你好", node: "llm" }),
            frame(2, "node_completed", { node: "llm", step: 1 }),
            frame(3, "done", { status: "completed", answer: "你好", message_id: "m2" }),
          ],
          { headers: HEADERS },
        ),
    });
    let started: RunStarted | null = null;
    const events: DecodedEvent[] = [];
    let run: LiveRun = newLiveRun("send", "exec-1", "hi");
    await runCompletion(
      client,
      { agent_id: "ag", message: "hi" },
      {
        onStarted: (s) => (started = s),
        onEvent: (e) => {
          events.push(e);
          run = applyRunEvent(run, e);
        },
      },
    );
    expect(started).toEqual({ chatId: "chat-1", executionId: "exec-1", messageId: "msg-1" });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.method).toBe("POST");
    expect(calls[0]!.body).toEqual({ agent_id: "ag", message: "hi" });
    expect(calls[0]!.headers.Accept).toBe("text/event-stream");
    expect(calls[0]!.headers.Authorization).toBe("Bearer a");
    expect(types(events)).toEqual(["0:node_started", "1:message", "2:node_completed", "3:done"]);
    expect(run.view.phase).toBe("completed");
    expect(said(run)).toBe("你好");
  });

  it("reads frames split anywhere, even inside a character, with CRLF line endings", async () => {
    const text =
      frame(0, "message", { content: "你好", node: "llm" }).replace(/\n/g, "\r\n") +
      frame(1, "done", { status: "completed", answer: null });
    const bytes = new TextEncoder().encode(text);
    const cut = bytes.indexOf(0xe4) + 1; // inside the first byte sequence of 你
    const { client } = clientFor({
      [`GET ${EVENTS}`]: () => byteResponse([bytes.slice(0, cut), bytes.slice(cut, cut + 5), bytes.slice(cut + 5)]),
    });
    let run: LiveRun = newLiveRun("send", "exec-1", "hi");
    await followExecution(client, "exec-1", null, { onEvent: (e) => (run = applyRunEvent(run, e)) });
    expect(said(run)).toBe("你好");
    expect(run.view.phase).toBe("completed");
  });

  it("rejects with the problem when the chat is busy (409) and never repeats the POST", async () => {
    const { client, calls } = clientFor({
      "POST /api/v1/chat/completions": [() => problem(409, "this chat already has a run in progress")],
    });
    const error = await runCompletion(
      client,
      { chat_id: "c", message: "x" },
      { onEvent: () => undefined },
      { backoffMs: noWait },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, detail: "this chat already has a run in progress" });
    expect(calls).toHaveLength(1);
  });

  it("re-attaches with Last-Event-ID after a drop, losing and repeating nothing", async () => {
    const { client, calls } = clientFor({
      "POST /api/v1/chat/completions": () =>
        sseResponse(
          [frame(0, "node_started", { node: "llm", step: 1 }), frame(1, "message", { content: "Hel", node: "llm" })],
          { headers: HEADERS, failWith: new TypeError("network error") },
        ),
      [`GET ${EVENTS}`]: [
        () => sseResponse([frame(2, "message", { content: "lo", node: "llm" })]), // closes early, no done
        () =>
          sseResponse([
            frame(3, "node_completed", { node: "llm", step: 1 }),
            frame(4, "done", { status: "completed", answer: null }),
          ]),
      ],
    });
    let run: LiveRun = newLiveRun("send", "exec-1", "hi");
    const reconnects: number[] = [];
    const connected: number[] = [];
    await runCompletion(
      client,
      { agent_id: "ag", message: "hi" },
      {
        onEvent: (e) => (run = applyRunEvent(run, e)),
        onReconnecting: (n) => reconnects.push(n),
        onConnected: () => connected.push(calls.length),
      },
      { backoffMs: noWait },
    );
    expect(calls.map((c) => c.method)).toEqual(["POST", "GET", "GET"]);
    expect(eventCalls(calls).map((c) => c.headers["Last-Event-ID"])).toEqual(["1", "2"]);
    expect(reconnects).toEqual([1, 1]);
    expect(connected).toEqual([1, 2, 3]);
    expect(said(run)).toBe("Hello");
    expect(run.view.graph.nodes[0]!.status).toBe("completed");
    expect(run.view.phase).toBe("completed");
  });

  it("cannot resume a run whose answer named no execution", async () => {
    const { client, calls } = clientFor({
      "POST /api/v1/chat/completions": () => sseResponse([frame(0, "message", { content: "Hel", node: "llm" })]),
    });
    const error = await runCompletion(
      client,
      { agent_id: "ag", message: "hi" },
      { onEvent: () => undefined },
      { backoffMs: noWait },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ title: "Stream lost" });
    expect(calls).toHaveLength(1);
  });
});

describe("followExecution", () => {
  it("resumes from the given offset and then from the last id seen", async () => {
    const { client, calls } = clientFor({
      [`GET ${EVENTS}`]: [
        () =>
          sseResponse([frame(4, "message", { content: "a", node: "llm" }), frame(5, "thought", { content: "…" })], {
            failWith: new TypeError("drop"),
          }),
        () => sseResponse([frame(6, "done", { status: "completed" })]),
      ],
    });
    const events: DecodedEvent[] = [];
    await followExecution(client, "exec-1", 3, { onEvent: (e) => events.push(e) }, { backoffMs: noWait });
    expect(eventCalls(calls).map((c) => c.headers["Last-Event-ID"])).toEqual(["3", "5"]);
    expect(types(events)).toEqual(["4:message", "5:thought", "6:done"]);
  });

  it("refreshes the access token once after a 401 and reconnects with the new one", async () => {
    const { client, calls, onSessionExpired } = clientFor({
      [`GET ${EVENTS}`]: [
        () => sseResponse([frame(0, "message", { content: "Hel", node: "llm" })], { failWith: new TypeError("drop") }),
        () => problem(401, "token expired"),
        () =>
          sseResponse([
            frame(1, "message", { content: "lo", node: "llm" }),
            frame(2, "done", { status: "completed", answer: null }),
          ]),
      ],
      "POST /api/auth/refresh": [() => json(200, pair("a2"))],
    });
    let run: LiveRun = newLiveRun("send", "exec-1", "hi");
    await followExecution(
      client,
      "exec-1",
      null,
      { onEvent: (e) => (run = applyRunEvent(run, e)) },
      { backoffMs: noWait },
    );
    expect(calls.map((c) => `${c.method} ${c.url} ${c.headers.Authorization ?? ""}`)).toEqual([
      `GET ${EVENTS} Bearer a`,
      `GET ${EVENTS} Bearer a`,
      "POST /api/auth/refresh ",
      `GET ${EVENTS} Bearer a2`,
    ]);
    expect(calls[3]!.headers["Last-Event-ID"]).toBe("0");
    expect(said(run)).toBe("Hello");
    expect(onSessionExpired).not.toHaveBeenCalled();
  });

  it("ends the session, without looping, when the refreshed token is refused too", async () => {
    const { client, calls, onSessionExpired } = clientFor({
      [`GET ${EVENTS}`]: [() => problem(401, "token expired"), () => problem(401, "still no")],
      "POST /api/auth/refresh": [() => json(200, pair("a2"))],
    });
    const reconnects: number[] = [];
    const error = await followExecution(
      client,
      "exec-1",
      null,
      { onEvent: () => undefined, onReconnecting: (n) => reconnects.push(n) },
      { backoffMs: noWait },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401 });
    expect(calls).toHaveLength(3);
    expect(reconnects).toEqual([]);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it("waits as long as Retry-After says after a 429, then reconnects", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { client, calls } = clientFor({
      [`GET ${EVENTS}`]: [() => problem429(), () => sseResponse([frame(0, "done", { status: "completed" })])],
    });
    let reconnecting!: () => void;
    const waiting = new Promise<void>((resolve) => (reconnecting = resolve));
    const reasons: number[] = [];
    const following = followExecution(
      client,
      "exec-1",
      null,
      {
        onEvent: () => undefined,
        onReconnecting: (_n, reason) => {
          reasons.push(reason.status);
          reconnecting();
        },
      },
      { backoffMs: () => 60_000 }, // Retry-After wins over the usual backoff
    );
    await waiting;
    await vi.advanceTimersByTimeAsync(6_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await following;
    expect(calls).toHaveLength(2);
    expect(reasons).toEqual([429]);
  });

  it("ends with the ApiError of a 404 problem, without reconnecting", async () => {
    const { client, calls } = clientFor({ [`GET ${EVENTS}`]: () => problem(404, "execution not found") });
    const reconnects: number[] = [];
    const error = await followExecution(
      client,
      "exec-1",
      3,
      { onEvent: () => undefined, onReconnecting: (n) => reconnects.push(n) },
      { backoffMs: noWait },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, detail: "execution not found" });
    expect(calls).toHaveLength(1);
    expect(reconnects).toEqual([]);
  });

  it("gives up after too many failed attempts in a row", async () => {
    const { client, calls } = clientFor({ [`GET ${EVENTS}`]: () => problem(503, "temporal unavailable") });
    const error = await followExecution(
      client,
      "exec-1",
      null,
      { onEvent: () => undefined },
      { backoffMs: noWait, maxAttempts: 2 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503 });
    expect(calls).toHaveLength(3);
  });

  it("closes the stream at done: nothing after it is delivered and nothing reconnects", async () => {
    const { client, calls } = clientFor({
      [`GET ${EVENTS}`]: [
        () =>
          sseResponse([
            frame(0, "error", { content: "tool failed", node: "tool" }),
            frame(1, "cancelled", { step: 2 }),
            frame(2, "done", { status: "cancelled" }) + frame(3, "message", { content: "late" }),
            frame(4, "thought", { content: "later" }),
          ]),
      ],
    });
    let run: LiveRun = newLiveRun("send", "exec-1", "hi");
    const events: DecodedEvent[] = [];
    await followExecution(client, "exec-1", null, {
      onEvent: (e) => {
        events.push(e);
        run = applyRunEvent(run, e);
      },
    });
    // The run's own error and cancelled come before its done, which carries the final status.
    expect(types(events)).toEqual(["0:error", "1:cancelled", "2:done"]);
    expect(run.view.phase).toBe("cancelled");
    expect(calls).toHaveLength(1);
  });

  it("ends at the server's own error frame (no id), which nothing follows", async () => {
    const { client, calls } = clientFor({
      [`GET ${EVENTS}`]: [
        () =>
          sseResponse([
            frame(0, "message", { content: "Hel", node: "llm" }),
            'event: error\ndata: {"event": "error", "content": "stream ended: key revoked"}\n\n',
          ]),
      ],
    });
    const events: DecodedEvent[] = [];
    await followExecution(client, "exec-1", null, { onEvent: (e) => events.push(e) }, { backoffMs: noWait });
    expect(types(events)).toEqual(["0:message", "null:error"]);
    expect(calls).toHaveLength(1);
  });

  it("stops when aborted (unmount) and rejects with the abort", async () => {
    const controller = new AbortController();
    const { client, calls } = clientFor({
      [`GET ${EVENTS}`]: () => openResponse([frame(0, "message", { content: "Hel", node: "llm" })]),
    });
    const events: DecodedEvent[] = [];
    const following = followExecution(
      client,
      "exec-1",
      null,
      {
        onEvent: (e) => {
          events.push(e);
          controller.abort();
        },
      },
      { signal: controller.signal, backoffMs: noWait },
    );
    const error = await following.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("AbortError");
    expect(types(events)).toEqual(["0:message"]);
    expect(calls).toHaveLength(1);
  });

  it("stops while waiting to reconnect when aborted", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const controller = new AbortController();
    const { client, calls } = clientFor({ [`GET ${EVENTS}`]: () => problem(503, "busy") });
    const following = followExecution(
      client,
      "exec-1",
      null,
      { onEvent: () => undefined, onReconnecting: () => controller.abort() },
      { signal: controller.signal, backoffMs: () => 1_000 },
    );
    await expect(following).rejects.toBeInstanceOf(DOMException);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toHaveLength(1);
  });

  it("keeps streaming in a hidden tab (no reconnect on visibility changes)", async () => {
    const listen = vi.spyOn(document, "addEventListener");
    const { client } = clientFor({ [`GET ${EVENTS}`]: () => sseResponse([frame(0, "done", { status: "completed" })]) });
    await followExecution(client, "exec-1", null, { onEvent: () => undefined });
    expect(listen).not.toHaveBeenCalledWith("visibilitychange", expect.anything());
  });
});

function problem429(): Response {
  return json(
    429,
    { type: "about:blank", title: "Too Many Requests", status: 429, detail: "slow down" },
    { "Retry-After": "7" },
  );
}
