import { describe, expect, it, vi } from "vitest";
import { exportChat } from "../src/api/chats";
import { ApiClient } from "../src/api/client";
import { controlRun, retryRun } from "../src/api/executions";
import { completeTask, listTasks } from "../src/api/reviews";
import { putMyReview } from "../src/api/store";
import { TokenStore, memoryStorage, type KeyValueStorage } from "../src/api/tokens";
import { SessionStore } from "../src/session/sessionStore";
import { json, problem, scriptedFetch, type Handler } from "./helpers/http";

function setup(routes: Record<string, Handler[] | Handler>, storage: KeyValueStorage = memoryStorage()) {
  const tokens = new TokenStore(storage);
  tokens.set({
    access_token: "access",
    refresh_token: "refresh",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "reviewer",
  });
  const { fetch, calls } = scriptedFetch(routes);
  return { client: new ApiClient({ fetch, tokens }), calls, tokens };
}

describe("endpoints", () => {
  it("sends the run controls as bodiless POSTs and reads the retry's new run", async () => {
    const { client, calls } = setup({
      "POST /api/v1/executions/e%201/pause": () => new Response(null, { status: 202 }),
      "POST /api/v1/executions/e1/retry": () =>
        json(201, { execution_id: "e2", retry_of: "e1", reused_tasks: ["1:a:0"] }),
    });
    await controlRun(client, "e 1", "pause");
    await expect(retryRun(client, "e1")).resolves.toMatchObject({ execution_id: "e2" });
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ["POST", "/api/v1/executions/e%201/pause", undefined],
      ["POST", "/api/v1/executions/e1/retry", undefined],
    ]);
  });

  it("filters the inbox and completes a task with an Idempotency-Key", async () => {
    const { client, calls } = setup({
      "GET /api/v1/reviews/tasks": () => json(200, { items: [], total: 0, limit: 100, offset: 0 }),
      "POST /api/v1/reviews/tasks/t1/complete": [
        () => problem(409, "the task was already completed by another request"),
      ],
    });
    await listTasks(client, { min_priority: 5, due_within_hours: 24, mine: true });
    expect(calls[0]!.url).toBe("/api/v1/reviews/tasks?min_priority=5&due_within_hours=24&mine=true&limit=100");
    await expect(
      completeTask(client, "t1", { input: { approved: true }, completion_note: "ok" }, "key-1"),
    ).rejects.toMatchObject({ status: 409 });
    expect(calls[1]!.headers["Idempotency-Key"]).toBe("key-1");
    expect(calls[1]!.body).toEqual({ input: { approved: true }, completion_note: "ok" });
  });

  it("downloads an export with the server's file name", async () => {
    const { client, calls } = setup({
      "GET /api/v1/chats/c1/export": () =>
        new Response("# Chat", {
          status: 200,
          headers: { "Content-Type": "text/markdown", "Content-Disposition": 'attachment; filename="chat-c1.md"' },
        }),
    });
    const file = await exportChat(client, "c1", "markdown");
    expect(file.filename).toBe("chat-c1.md");
    expect(await file.blob.text()).toBe("# Chat");
    expect(calls[0]!.url).toBe("/api/v1/chats/c1/export?format=markdown");
    expect(calls[0]!.headers.Accept).toBe("text/markdown");
  });

  it("writes my review with PUT", async () => {
    const { client, calls } = setup({
      "PUT /api/v1/agents/a1/reviews/mine": () => json(200, { id: "r", rating: 4 }),
    });
    await putMyReview(client, "a1", { rating: 4, comment: null });
    expect(calls[0]!.method).toBe("PUT");
    expect(calls[0]!.body).toEqual({ rating: 4, comment: null });
  });
});

describe("SessionStore logout", () => {
  const me = {
    id: "u",
    email: "a@b.c",
    display_name: null,
    role: "user",
    tenant_id: "t",
    tenant_name: "demo",
    tenant_display_name: "Demo",
  };

  it("ends the login on the server with the refresh token, then forgets everything", async () => {
    const { client, calls, tokens } = setup({
      "GET /api/auth/me": () => json(200, me),
      "POST /api/auth/logout": () => new Response(null, { status: 204 }),
    });
    const onLogout = vi.fn();
    const session = new SessionStore(client, tokens, onLogout);
    await session.restore();
    expect(session.getState().status).toBe("ready");
    await session.logout();
    const call = calls.find((c) => c.url === "/api/auth/logout")!;
    expect(call.body).toEqual({ refresh_token: "refresh" });
    expect(call.headers.Authorization).toBeUndefined();
    expect(tokens.get()).toBeNull();
    expect(onLogout).toHaveBeenCalledTimes(1);
    expect(session.getState()).toEqual({ status: "anonymous", notice: null });
  });

  it("logs out locally even when the server cannot be reached", async () => {
    const { client, tokens } = setup({
      "POST /api/auth/logout": () => Promise.reject(new TypeError("offline")),
    });
    const session = new SessionStore(client, tokens, () => undefined);
    await session.logout();
    expect(tokens.get()).toBeNull();
    expect(session.getState().status).toBe("anonymous");
  });

  it("logs out everywhere, or keeps the session and reports why it could not", async () => {
    const failing = setup({ "POST /api/auth/logout-all": () => problem(503, "database down") });
    const kept = new SessionStore(failing.client, failing.tokens, () => undefined);
    await expect(kept.logoutEverywhere()).rejects.toMatchObject({ status: 503 });
    expect(failing.tokens.get()).not.toBeNull();

    const { client, calls, tokens } = setup({ "POST /api/auth/logout-all": () => new Response(null, { status: 204 }) });
    const session = new SessionStore(client, tokens, () => undefined);
    await session.logoutEverywhere();
    expect(calls[0]!.headers.Authorization).toBe("Bearer access");
    expect(tokens.get()).toBeNull();
    expect(session.getState()).toEqual({ status: "anonymous", notice: "logged-out-everywhere" });
  });
});
