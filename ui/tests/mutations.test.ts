/**
 * What each change of the admin, tools and account pages makes stale: the mutation options the
 * pages hand to `useMutation`, run against a scripted API and a query cache.
 */

import { MutationObserver, QueryClient, type QueryKey } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import {
  accountKeys,
  createApiKeyMutation,
  fetchApiKeys,
  revokeToolGrantMutation,
} from "../src/features/account/queries";
import {
  adminKeys,
  createUserMutation,
  deactivateUserMutation,
  fetchUsers,
  updateTenantMutation,
} from "../src/features/admin/queries";
import {
  createServerMutation,
  deleteServerMutation,
  toolKeys,
  updateToolStatusMutation,
} from "../src/features/tools/queries";
import { json, scriptedFetch, type Handler } from "./helpers/http";

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
  // Nothing is on screen in these tests: invalidated queries are only marked, never fetched.
  const cache = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return { client: new ApiClient({ fetch, tokens }), calls, cache };
}

const PAGE = { filter: {}, q: undefined, limit: 50, offset: 0 };
const empty = { items: [], total: 0, limit: 50, offset: 0 };

function fill(cache: QueryClient, ...keys: QueryKey[]) {
  for (const key of keys) cache.setQueryData(key, empty);
}

const stale = (cache: QueryClient, key: QueryKey) => cache.getQueryState(key)?.isInvalidated ?? false;

describe("admin changes", () => {
  it("refresh the user list, the usage page and the audit log after adding a user", async () => {
    const { client, cache } = setup({ "POST /api/v1/users": () => json(201, { id: "u2", email: "bob@acme.io" }) });
    const users = [...adminKeys.users, PAGE];
    const tenants = [...adminKeys.tenants, PAGE];
    fill(cache, users, adminKeys.usage, [...adminKeys.audit, PAGE], tenants);
    await new MutationObserver(cache, createUserMutation(client)).mutate({
      email: "bob@acme.io",
      role: "user",
      password: "Secret-pass-1",
    });
    expect(stale(cache, users)).toBe(true);
    expect(stale(cache, adminKeys.usage)).toBe(true);
    expect(stale(cache, [...adminKeys.audit, PAGE])).toBe(true);
    expect(stale(cache, tenants)).toBe(false);
  });

  it("leave the lists alone when the change is refused, and keep the wait of a 429", async () => {
    const { client, cache } = setup({
      "DELETE /api/v1/users/u2": () =>
        json(429, { title: "Too Many Requests", detail: "slow down" }, { "Retry-After": "30" }),
    });
    const users = [...adminKeys.users, PAGE];
    fill(cache, users);
    const observer = new MutationObserver(cache, deactivateUserMutation(client));
    await expect(observer.mutate({ id: "u2" } as never)).rejects.toMatchObject({ status: 429, retryAfterSeconds: 30 });
    expect(stale(cache, users)).toBe(false);
  });

  it("put a changed tenant in its detail and reload the tenant lists", async () => {
    const changed = { id: "t1", name: "acme", plan: "pro", quotas: { max_users: 9 } };
    const { client, cache } = setup({ "PATCH /api/v1/platform/tenants/t1": () => json(200, changed) });
    const list = [...adminKeys.tenants, PAGE];
    fill(cache, list, adminKeys.tenant("t1"));
    await new MutationObserver(cache, updateTenantMutation(client)).mutate({
      tenantId: "t1",
      body: { plan: "pro" },
    });
    expect(cache.getQueryData(adminKeys.tenant("t1"))).toEqual(changed);
    expect(stale(cache, adminKeys.tenant("t1"))).toBe(false);
    expect(stale(cache, list)).toBe(true);
  });

  it("ask the API for the page the list shows", async () => {
    const { client, calls } = setup({ "GET /api/v1/users": () => json(200, empty) });
    const signal = new AbortController().signal;
    await fetchUsers(client)({ filter: { role: "reviewer" }, q: "ann", limit: 50, offset: 100, signal });
    expect(calls[0]!.url).toBe("/api/v1/users?role=reviewer&q=ann&limit=50&offset=100");
  });
});

describe("tool changes", () => {
  const server = { id: "s1", name: "Weather", tool_count: 2 };

  it("reload servers and tools after registering a server, not the user's permissions", async () => {
    const { client, cache } = setup({ "POST /api/v1/tool-servers": () => json(201, server) });
    const servers = [...toolKeys.servers, PAGE];
    const catalog = [...toolKeys.catalog, PAGE];
    const grants = [...accountKeys.toolGrants, PAGE];
    fill(cache, servers, catalog, grants);
    await new MutationObserver(cache, createServerMutation(client)).mutate({
      server_id: "weather",
      name: "Weather",
      endpoint_url: "https://tools.example.com/mcp",
    });
    expect([stale(cache, servers), stale(cache, catalog), stale(cache, grants)]).toEqual([true, true, false]);
  });

  it("make everything stale after deleting a server, the permissions of its tools included", async () => {
    const { client, cache } = setup({ "DELETE /api/v1/tool-servers/s1": () => new Response(null, { status: 204 }) });
    const grants = [...accountKeys.toolGrants, PAGE];
    fill(cache, grants, [...toolKeys.catalog, PAGE]);
    await new MutationObserver(cache, deleteServerMutation(client)).mutate(server as never);
    expect(stale(cache, grants)).toBe(true);
  });

  it("show a tool's new status in place and mark the catalog stale", async () => {
    const tool = { id: "t1", name: "forecast", status: "active" };
    const { client, cache } = setup({ "PATCH /api/v1/tools/t1": () => json(200, { ...tool, status: "deprecated" }) });
    const catalog = [...toolKeys.catalog, PAGE];
    cache.setQueryData(catalog, { ...empty, items: [tool, { id: "t2", status: "active" }], total: 2 });
    await new MutationObserver(cache, updateToolStatusMutation(client)).mutate({ toolId: "t1", status: "deprecated" });
    expect(cache.getQueryData<{ items: { id: string; status: string }[] }>(catalog)?.items).toEqual([
      { ...tool, status: "deprecated" },
      { id: "t2", status: "active" },
    ]);
    expect(stale(cache, catalog)).toBe(true);
  });
});

describe("account changes", () => {
  it("hand the new key's secret back once and reload the key list", async () => {
    const created = { id: "k1", name: "ci", key_prefix: "ab", scopes: ["chat:read"], key: "apk_acme_secret" };
    const { client, cache } = setup({ "POST /api/v1/api-keys": () => json(201, created) });
    const keys = [...accountKeys.apiKeys, PAGE];
    fill(cache, keys);
    const made = await new MutationObserver(cache, createApiKeyMutation(client)).mutate({
      name: "ci",
      scopes: ["chat:read"],
    });
    expect(made.key).toBe("apk_acme_secret");
    expect(stale(cache, keys)).toBe(true);
  });

  it("read all keys as one page", async () => {
    const { client } = setup({ "GET /api/v1/api-keys": () => json(200, [{ id: "k1" }, { id: "k2" }]) });
    const page = await fetchApiKeys(client)({
      filter: {},
      q: undefined,
      limit: 50,
      offset: 0,
      signal: new AbortController().signal,
    });
    expect(page).toMatchObject({ total: 2, offset: 0, items: [{ id: "k1" }, { id: "k2" }] });
  });

  it("reload the permissions after revoking one", async () => {
    const grant = { id: "g1", agent_id: "a1", tool_id: "t1", created_at: "2030-01-01T00:00:00Z", revoked_at: null };
    const { client, cache } = setup({
      "DELETE /api/v1/tool-grants/g1": () => json(200, { ...grant, revoked_at: "2030-01-02T00:00:00Z" }),
    });
    const grants = [...accountKeys.toolGrants, PAGE];
    fill(cache, grants);
    await new MutationObserver(cache, revokeToolGrantMutation(client)).mutate(grant as never);
    expect(stale(cache, grants)).toBe(true);
  });
});
