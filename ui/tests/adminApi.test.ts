import { describe, expect, it } from "vitest";
import { listAuditLogs } from "../src/api/audit";
import { ApiClient } from "../src/api/client";
import { createTenant, getTenant, listTenants, updateTenant } from "../src/api/tenants";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import { getUsage } from "../src/api/usage";
import { createUser, deactivateUser, listUsers, updateUser } from "../src/api/users";
import { SessionStore } from "../src/session/sessionStore";
import { json, problem, scriptedFetch, type Handler } from "./helpers/http";

function setup(routes: Record<string, Handler[] | Handler>) {
  const tokens = new TokenStore(memoryStorage());
  tokens.set({
    access_token: "access",
    refresh_token: "refresh",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "admin",
  });
  const { fetch, calls } = scriptedFetch(routes);
  return { client: new ApiClient({ fetch, tokens }), calls, tokens };
}

const page =
  (items: unknown[] = []): Handler =>
  () =>
    json(200, { items, total: items.length, limit: 50, offset: 0 });

describe("users API", () => {
  it("searches with filters and paging, skipping empty ones", async () => {
    const { client, calls } = setup({ "GET /api/v1/users": page() });
    await listUsers(client, { q: "ann", role: "reviewer", status: undefined, limit: 50, offset: 100 });
    expect(calls[0]!.url).toBe("/api/v1/users?q=ann&role=reviewer&limit=50&offset=100");
  });

  it("creates, patches and deactivates a user", async () => {
    const user = { id: "u 1", email: "a@b.c", role: "user", status: "active" };
    const { client, calls } = setup({
      "POST /api/v1/users": () => json(201, user),
      "PATCH /api/v1/users/u%201": () => json(200, { ...user, role: "developer" }),
      "DELETE /api/v1/users/u%201": () => new Response(null, { status: 204 }),
    });
    await createUser(client, { email: "a@b.c", display_name: null, role: "user", password: "Secret-pass-1" });
    await expect(updateUser(client, "u 1", { role: "developer" })).resolves.toMatchObject({ role: "developer" });
    await deactivateUser(client, "u 1");
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ["POST", "/api/v1/users", { email: "a@b.c", display_name: null, role: "user", password: "Secret-pass-1" }],
      ["PATCH", "/api/v1/users/u%201", { role: "developer" }],
      ["DELETE", "/api/v1/users/u%201", undefined],
    ]);
  });

  it("reports a used-up user quota as 429 with the time to wait", async () => {
    const { client } = setup({
      "POST /api/v1/users": () =>
        json(
          429,
          { title: "Quota exceeded", status: 429, detail: "the user quota is used up" },
          { "Retry-After": "3600" },
        ),
    });
    await expect(createUser(client, { email: "a@b.c", role: "user", password: "Secret-pass-1" })).rejects.toMatchObject(
      { status: 429, detail: "the user quota is used up", retryAfterSeconds: 3600 },
    );
  });
});

describe("usage and audit API", () => {
  it("reads the usage report", async () => {
    const report = {
      tenant_id: "t",
      as_of: "2030-01-01T00:00:00Z",
      quotas: [{ name: "users", limit: 10, used: 3, remaining: 7, resets_at: null }],
    };
    const { client, calls } = setup({ "GET /api/v1/usage": () => json(200, report) });
    await expect(getUsage(client)).resolves.toEqual(report);
    expect(calls[0]!.headers.Authorization).toBe("Bearer access");
  });

  it("pages the audit log with its filters", async () => {
    const { client, calls } = setup({ "GET /api/v1/audit-logs": page() });
    await listAuditLogs(
      client,
      { action: "POST /api/v1/chats", outcome: "denied", since: "2030-01-01T00:00:00.000Z" },
      { limit: 50, offset: 50 },
    );
    expect(calls[0]!.url).toBe(
      "/api/v1/audit-logs?action=POST+%2Fapi%2Fv1%2Fchats&outcome=denied&since=2030-01-01T00%3A00%3A00.000Z&limit=50&offset=50",
    );
  });
});

describe("tenants API (platform admins)", () => {
  it("lists, reads, creates and patches tenants", async () => {
    const tenant = { id: "t1", name: "acme", display_name: "Acme", plan: "free", status: "active" };
    const { client, calls } = setup({
      "GET /api/v1/platform/tenants": page([tenant]),
      "GET /api/v1/platform/tenants/t1": () => json(200, { ...tenant, quotas: { max_users: 5 } }),
      "POST /api/v1/platform/tenants": () => json(201, tenant),
      "PATCH /api/v1/platform/tenants/t1": () => json(200, { ...tenant, plan: "pro" }),
    });
    await listTenants(client, { status: "suspended", limit: 50, offset: 0 });
    await expect(getTenant(client, "t1")).resolves.toMatchObject({ quotas: { max_users: 5 } });
    await createTenant(client, {
      name: "acme",
      display_name: "Acme",
      plan: "free",
      quotas: { max_users: 5 },
      admin: { email: "root@acme.io", password: "Secret-pass-1" },
    });
    await updateTenant(client, "t1", { plan: "pro", quotas: { max_tokens_per_month: 1000 } });
    expect(calls[0]!.url).toBe("/api/v1/platform/tenants?status=suspended&limit=50&offset=0");
    expect(calls[2]!.body).toMatchObject({ name: "acme", admin: { email: "root@acme.io" }, quotas: { max_users: 5 } });
    expect(calls[3]).toMatchObject({ method: "PATCH", body: { plan: "pro", quotas: { max_tokens_per_month: 1000 } } });
  });

  it("explains a 403 for callers who are not platform admins", async () => {
    const { client } = setup({
      "GET /api/v1/platform/tenants": () => problem(403, "requires a platform administrator"),
    });
    await expect(listTenants(client)).rejects.toMatchObject({
      status: 403,
      detail: "requires a platform administrator",
    });
  });
});

describe("changing the password", () => {
  const pair = {
    access_token: "access-2",
    refresh_token: "refresh-2",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "admin",
  };

  it("sends both passwords and keeps this session with the new tokens", async () => {
    const { client, calls, tokens } = setup({ "POST /api/auth/password": () => json(200, pair) });
    const session = new SessionStore(client, tokens, () => undefined);
    await session.changePassword("Old-pass-123", "New-pass-456");
    expect(calls[0]!.body).toEqual({ current_password: "Old-pass-123", new_password: "New-pass-456" });
    expect(calls[0]!.headers.Authorization).toBe("Bearer access");
    expect(tokens.get()).toMatchObject({ accessToken: "access-2", refreshToken: "refresh-2" });
  });

  it("keeps the old tokens when the server refuses the new password", async () => {
    const { client, tokens } = setup({
      "POST /api/auth/password": () =>
        problem(422, "password is too common", [{ path: "/body/new_password", message: "password is too common" }]),
    });
    const session = new SessionStore(client, tokens, () => undefined);
    await expect(session.changePassword("Old-pass-123", "password123")).rejects.toMatchObject({
      status: 422,
      errors: [{ path: "/body/new_password", message: "password is too common" }],
    });
    expect(tokens.get()).toMatchObject({ accessToken: "access" });
  });

  it("reports a locked-out attempt with its wait", async () => {
    const { client, tokens } = setup({
      "POST /api/auth/password": () =>
        json(429, { title: "Too Many Requests", detail: "too many failed attempts" }, { "Retry-After": "90" }),
    });
    const session = new SessionStore(client, tokens, () => undefined);
    await expect(session.changePassword("x", "New-pass-456")).rejects.toMatchObject({
      status: 429,
      retryAfterSeconds: 90,
    });
  });
});
