import { describe, expect, it, vi } from "vitest";
import { login } from "../src/api/auth";
import { ApiClient } from "../src/api/client";
import { ApiError, problemFromBody } from "../src/api/problem";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import type { TokenPair } from "../src/api/types";
import { json, problem, scriptedFetch, type Handler } from "./helpers/http";

const NOW = Date.parse("2030-01-01T00:00:00Z");

function pair(n: number, expiresInMs = 15 * 60_000): TokenPair {
  return {
    access_token: `access-${n}`,
    refresh_token: `refresh-${n}`,
    token_type: "bearer",
    expires_at: new Date(NOW + expiresInMs).toISOString(),
    tenant_id: "t",
    role: "admin",
  };
}

function setup(routes: Record<string, Handler[] | Handler>, initial: TokenPair | null = pair(1)) {
  const tokens = new TokenStore(memoryStorage());
  if (initial) tokens.set(initial);
  const { fetch, calls } = scriptedFetch(routes);
  const onSessionExpired = vi.fn();
  const client = new ApiClient({ fetch, tokens, onSessionExpired, now: () => NOW });
  return { client, tokens, calls, onSessionExpired };
}

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("ApiClient errors", () => {
  it("turns a problem document into an ApiError with detail and field errors", async () => {
    const { client } = setup({
      "POST /api/x": () => problem(422, "the request did not match", [{ path: "/body/message", message: "too long" }]),
    });
    const error = await caught(client.request("/api/x", { json: { message: "a" } }));
    expect(error.status).toBe(422);
    expect(error.detail).toBe("the request did not match");
    expect(error.errors).toEqual([{ path: "/body/message", message: "too long" }]);
  });

  it("explains a non-JSON error body", async () => {
    const { client } = setup({
      "GET /api/x": () =>
        new Response("<html>bad gateway</html>".repeat(40), { status: 502, statusText: "Bad Gateway" }),
    });
    const error = await caught(client.request("/api/x"));
    expect(error.status).toBe(502);
    expect(error.detail).toBe("The server answered 502 Bad Gateway");
  });

  it("reports a network failure as status 0", async () => {
    const { client } = setup({ "GET /api/x": () => Promise.reject(new TypeError("Failed to fetch")) });
    const error = await caught(client.request("/api/x"));
    expect(error.status).toBe(0);
    expect(error.detail).toContain("Failed to fetch");
  });

  it("accepts FastAPI's plain {detail} shape", () => {
    const error = problemFromBody(404, "Not Found", { detail: "agent not found" });
    expect(error.detail).toBe("agent not found");
    expect(error.title).toBe("Not Found");
  });

  it("sends the bearer token and query parameters", async () => {
    const { client, calls } = setup({ "GET /api/v1/agents": () => json(200, { items: [] }) });
    await client.request("/api/v1/agents", { query: { q: "客服", limit: 5, offset: undefined } });
    expect(calls[0]!.headers.Authorization).toBe("Bearer access-1");
    expect(calls[0]!.url).toBe("/api/v1/agents?q=%E5%AE%A2%E6%9C%8D&limit=5");
  });
});

describe("ApiClient token refresh", () => {
  it("refreshes once after a 401 and retries with the new token", async () => {
    const { client, calls, tokens } = setup({
      "GET /api/auth/me": [() => problem(401, "expired"), () => json(200, { id: "u" })],
      "POST /api/auth/refresh": () => json(200, pair(2)),
    });
    await expect(client.request("/api/auth/me")).resolves.toEqual({ id: "u" });
    expect(calls.map((c) => `${c.method} ${c.url} ${c.headers.Authorization ?? ""}`)).toEqual([
      "GET /api/auth/me Bearer access-1",
      "POST /api/auth/refresh ",
      "GET /api/auth/me Bearer access-2",
    ]);
    expect(calls[1]!.body).toEqual({ refresh_token: "refresh-1" });
    expect(tokens.get()?.refreshToken).toBe("refresh-2");
  });

  it("refreshes before the call when the access token is about to expire", async () => {
    const { client, calls } = setup(
      { "POST /api/auth/refresh": () => json(200, pair(2)), "GET /api/x": () => json(200, {}) },
      pair(1, 30_000),
    );
    await client.request("/api/x");
    expect(calls.map((c) => c.url)).toEqual(["/api/auth/refresh", "/api/x"]);
    expect(calls[1]!.headers.Authorization).toBe("Bearer access-2");
  });

  it("spends the single-use refresh token once for concurrent calls", async () => {
    const { client, calls } = setup(
      {
        "POST /api/auth/refresh": [() => json(200, pair(2))],
        "GET /api/a": () => json(200, { a: 1 }),
        "GET /api/b": () => json(200, { b: 1 }),
      },
      pair(1, 0),
    );
    await Promise.all([client.request("/api/a"), client.request("/api/b")]);
    expect(calls.filter((c) => c.url === "/api/auth/refresh")).toHaveLength(1);
  });

  it("ends the session when the refresh token is refused", async () => {
    const { client, tokens, onSessionExpired } = setup({
      "GET /api/x": () => problem(401, "expired"),
      "POST /api/auth/refresh": () => problem(401, "refresh token reused"),
    });
    const error = await caught(client.request("/api/x"));
    expect(error.status).toBe(401);
    expect(tokens.get()).toBeNull();
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it("does not loop: a second 401 after refreshing ends the session", async () => {
    const { client, calls, onSessionExpired } = setup({
      "GET /api/x": () => problem(401, "nope"),
      "POST /api/auth/refresh": () => json(200, pair(2)),
    });
    const error = await caught(client.request("/api/x"));
    expect(error.detail).toBe("nope");
    expect(calls).toHaveLength(3);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it("keeps the session when refreshing fails for a network reason", async () => {
    const { client, tokens, onSessionExpired } = setup(
      { "POST /api/auth/refresh": () => Promise.reject(new TypeError("offline")) },
      pair(1, 0),
    );
    const error = await caught(client.request("/api/x"));
    expect(error.status).toBe(0);
    expect(tokens.get()).not.toBeNull();
    expect(onSessionExpired).not.toHaveBeenCalled();
  });
});

describe("login", () => {
  it("stores the tokens on 200", async () => {
    const { client, tokens, calls } = setup({ "POST /api/auth/login": () => json(200, pair(9)) }, null);
    await expect(login(client, tokens, "a@b.c", "pw")).resolves.toEqual({ kind: "signed-in" });
    expect(tokens.get()?.accessToken).toBe("access-9");
    expect(calls[0]!.headers.Authorization).toBeUndefined();
  });

  it("asks for a tenant on 202", async () => {
    const tenants = [{ tenant_id: "1", name: "acme", display_name: "Acme" }];
    const { client, tokens } = setup({ "POST /api/auth/login": () => json(202, { detail: "choose", tenants }) }, null);
    await expect(login(client, tokens, "a@b.c", "pw")).resolves.toEqual({
      kind: "choose-tenant",
      detail: "choose",
      tenants,
    });
    expect(tokens.get()).toBeNull();
  });

  it("surfaces bad credentials as the problem's detail", async () => {
    const { client, tokens } = setup({ "POST /api/auth/login": () => problem(401, "wrong email or password") }, null);
    const error = await caught(login(client, tokens, "a@b.c", "bad"));
    expect(error.detail).toBe("wrong email or password");
  });
});
