import { describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import {
  checkToolServerHealth,
  createToolServer,
  deleteToolServer,
  discoverTools,
  grantTool,
  listToolGrants,
  listToolServers,
  listTools,
  revokeToolGrant,
  updateTool,
} from "../src/api/tools";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import { json, problem, scriptedFetch, type Handler } from "./helpers/http";

function setup(routes: Record<string, Handler[] | Handler>) {
  const tokens = new TokenStore(memoryStorage());
  tokens.set({
    access_token: "access",
    refresh_token: "refresh",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "developer",
  });
  const { fetch, calls } = scriptedFetch(routes);
  return { client: new ApiClient({ fetch, tokens }), calls };
}

const server = {
  id: "s1",
  server_id: "weather",
  name: "Weather",
  description: null,
  endpoint_url: "https://tools.example.com/mcp",
  agent_version_id: null,
  status: "active",
  tool_count: 2,
  total_calls: 10,
  success_calls: 9,
  average_response_time: "120.50",
  credentials_hint: "…f00d",
  last_error: null,
  last_health_check: "2030-01-01T00:00:00Z",
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-01T00:00:00Z",
};

describe("tool servers API", () => {
  it("registers a server with its write-only credential and discovers its tools", async () => {
    const { client, calls } = setup({
      "POST /api/v1/tool-servers": () => json(201, server),
      "POST /api/v1/tool-servers/s1/discover": () =>
        json(200, { server, added: ["forecast"], updated: [], deactivated: ["old"] }),
    });
    await createToolServer(client, {
      server_id: "weather",
      name: "Weather",
      endpoint_url: "https://tools.example.com/mcp",
      credential: "s3cret",
      discover: true,
    });
    const result = await discoverTools(client, "s1");
    expect(result.added).toEqual(["forecast"]);
    expect(calls[0]!.body).toEqual({
      server_id: "weather",
      name: "Weather",
      endpoint_url: "https://tools.example.com/mcp",
      credential: "s3cret",
      discover: true,
    });
    expect(calls[1]).toMatchObject({ method: "POST", body: undefined });
  });

  it("lists, checks health and deletes", async () => {
    const { client, calls } = setup({
      "GET /api/v1/tool-servers": () => json(200, { items: [server], total: 1, limit: 200, offset: 0 }),
      "POST /api/v1/tool-servers/s1/health": () => json(200, { ...server, status: "error", last_error: "timeout" }),
      "DELETE /api/v1/tool-servers/s1": () => new Response(null, { status: 204 }),
    });
    await expect(listToolServers(client, { limit: 200 })).resolves.toMatchObject({ total: 1 });
    await expect(checkToolServerHealth(client, "s1")).resolves.toMatchObject({ status: "error" });
    await deleteToolServer(client, "s1");
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "GET /api/v1/tool-servers?limit=200",
      "POST /api/v1/tool-servers/s1/health",
      "DELETE /api/v1/tool-servers/s1",
    ]);
  });

  it("passes on a refused URL as a validation problem", async () => {
    const { client } = setup({
      "POST /api/v1/tool-servers": () =>
        problem(422, "the request did not match", [
          { path: "/body/endpoint_url", message: "endpoint_url must be an http(s) URL with a host" },
        ]),
    });
    await expect(
      createToolServer(client, { server_id: "x", name: "X", endpoint_url: "ftp://x" }),
    ).rejects.toMatchObject({ status: 422, errors: [{ path: "/body/endpoint_url" }] });
  });
});

describe("tools API", () => {
  it("searches tools and changes a tool's status", async () => {
    const { client, calls } = setup({
      "GET /api/v1/tools": () => json(200, { items: [], total: 0, limit: 50, offset: 0 }),
      "PATCH /api/v1/tools/t1": () => json(200, { id: "t1", status: "deprecated" }),
    });
    await listTools(client, { q: "weather", server: "s1", status: "active", limit: 50, offset: 0 });
    await updateTool(client, "t1", { status: "deprecated" });
    expect(calls[0]!.url).toBe("/api/v1/tools?q=weather&server=s1&status=active&limit=50&offset=0");
    expect(calls[1]).toMatchObject({ method: "PATCH", body: { status: "deprecated" } });
  });
});

describe("tool grants API", () => {
  it("lists my grants, grants and revokes", async () => {
    const grant = { id: "g1", agent_id: "a1", tool_id: "t1", created_at: "2030-01-01T00:00:00Z", revoked_at: null };
    const { client, calls } = setup({
      "GET /api/v1/tool-grants": () => json(200, { items: [grant], total: 1, limit: 200, offset: 0 }),
      "POST /api/v1/tool-grants": () => json(201, grant),
      "DELETE /api/v1/tool-grants/g1": () => json(200, { ...grant, revoked_at: "2030-01-02T00:00:00Z" }),
    });
    await expect(listToolGrants(client, { limit: 200 })).resolves.toMatchObject({ items: [grant] });
    await grantTool(client, { agent_id: "a1", tool_id: "t1" });
    await expect(revokeToolGrant(client, "g1")).resolves.toMatchObject({ revoked_at: "2030-01-02T00:00:00Z" });
    expect(calls[1]!.body).toEqual({ agent_id: "a1", tool_id: "t1" });
    expect(calls[2]!.method).toBe("DELETE");
  });

  it("reports a grant of a tool the agent cannot use", async () => {
    const { client } = setup({ "POST /api/v1/tool-grants": () => problem(404, "tool not found") });
    await expect(grantTool(client, { agent_id: "a1", tool_id: "nope" })).rejects.toMatchObject({ status: 404 });
  });
});
