import { describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import { ApiError } from "../src/api/problem";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import { INITIAL_RUN_VIEW, runReducer, runText, type RunView } from "../src/run/runView";
import { followExecution, runCompletion, type RunStarted } from "../src/sse/followRun";
import { frame, problem, scriptedFetch, sseResponse, type Handler } from "./helpers/http";

function clientFor(routes: Record<string, Handler[] | Handler>) {
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
  return { client: new ApiClient({ fetch, tokens }), calls };
}

const noSleep = async () => undefined;
const EVENTS = "/api/v1/executions/exec-1/events";
const HEADERS = { "X-Chat-Id": "chat-1", "X-Execution-Id": "exec-1", "X-Message-Id": "msg-1" };

describe("runCompletion", () => {
  it("reports the ids from the headers and streams to done", async () => {
    const { client, calls } = clientFor({
      "POST /api/v1/chat/completions": () =>
        sseResponse(
          [
            frame(0, "node_started", { node: "llm", step: 1 }),
            ": keep-alive\n\n",
            frame(1, "message", { content: "你好", node: "llm" }),
            frame(2, "done", { status: "completed", answer: "你好", message_id: "m2" }),
          ],
          { headers: HEADERS },
        ),
    });
    let started: RunStarted | null = null;
    let view: RunView = INITIAL_RUN_VIEW;
    await runCompletion(
      client,
      { agent_id: "ag", message: "hi" },
      {
        onStarted: (s) => (started = s),
        onEvent: (e) => (view = runReducer(view, e)),
      },
    );
    expect(started).toEqual({ chatId: "chat-1", executionId: "exec-1", messageId: "msg-1" });
    expect(calls[0]!.body).toEqual({ agent_id: "ag", message: "hi" });
    expect(calls[0]!.headers.Accept).toBe("text/event-stream");
    expect(view.phase).toBe("completed");
    expect(runText(view)).toBe("你好");
  });

  it("rejects with the problem when the chat is busy (409)", async () => {
    const { client } = clientFor({
      "POST /api/v1/chat/completions": () => problem(409, "this chat already has a run in progress"),
    });
    await expect(
      runCompletion(client, { chat_id: "c", message: "x" }, { onEvent: () => undefined }),
    ).rejects.toMatchObject({
      status: 409,
      detail: "this chat already has a run in progress",
    });
  });

  it("re-attaches with Last-Event-ID after a drop, losing and repeating nothing", async () => {
    const { client, calls } = clientFor({
      "POST /api/v1/chat/completions": () =>
        sseResponse(
          [frame(0, "node_started", { node: "llm", step: 1 }), frame(1, "message", { content: "Hel", node: "llm" })],
          {
            headers: HEADERS,
            failWith: new TypeError("network error"),
          },
        ),
      [`GET ${EVENTS}`]: [
        () => sseResponse([frame(2, "message", { content: "lo", node: "llm" })]), // closes early, no done
        () =>
          sseResponse([
            frame(2, "message", { content: "lo", node: "llm" }), // a repeat the reducer drops
            frame(3, "node_completed", { node: "llm", step: 1 }),
            frame(4, "done", { status: "completed", answer: null }),
          ]),
      ],
    });
    let view: RunView = INITIAL_RUN_VIEW;
    const reconnects: number[] = [];
    await runCompletion(
      client,
      { agent_id: "ag", message: "hi" },
      { onEvent: (e) => (view = runReducer(view, e)), onReconnecting: (n) => reconnects.push(n) },
      { sleep: noSleep },
    );
    const resumes = calls.filter((c) => c.url === EVENTS).map((c) => c.headers["Last-Event-ID"]);
    expect(resumes).toEqual(["1", "2"]);
    expect(reconnects).toEqual([1, 1]);
    expect(runText(view)).toBe("Hello");
    expect(view.graph.nodes[0]!.status).toBe("completed");
    expect(view.phase).toBe("completed");
  });

  it("gives up when the execution is gone (404) and after too many failed attempts", async () => {
    const gone = clientFor({ [`GET ${EVENTS}`]: () => problem(404, "execution not found") });
    await expect(
      followExecution(gone.client, "exec-1", 3, { onEvent: () => undefined }, { sleep: noSleep }),
    ).rejects.toMatchObject({
      status: 404,
    });

    const down = clientFor({ [`GET ${EVENTS}`]: () => problem(503, "temporal unavailable") });
    const error = await followExecution(
      down.client,
      "exec-1",
      null,
      { onEvent: () => undefined },
      { sleep: noSleep, maxAttempts: 2 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(down.calls).toHaveLength(3);
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    const { client } = clientFor({ [`GET ${EVENTS}`]: () => sseResponse([], { failWith: new TypeError("drop") }) });
    const sleep = async () => {
      controller.abort();
      throw new DOMException("aborted", "AbortError");
    };
    await expect(
      followExecution(client, "exec-1", null, { onEvent: () => undefined }, { signal: controller.signal, sleep }),
    ).rejects.toBeInstanceOf(DOMException);
  });
});
