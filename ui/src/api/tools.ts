/** The MCP tool registry: topic servers (developers), their discovered tools, and users' tool grants. */

import type { ApiClient } from "./client";
import type { Page, Schemas } from "./types";

export type ToolStatus = NonNullable<Schemas["ToolUpdate"]["status"]>;
export const TOOL_STATUSES: readonly ToolStatus[] = ["active", "inactive", "deprecated"];

/**
 * A topic server (status: active, inactive or error; `credentials_hint` hints at the stored
 * bearer credential, never shows it). `average_response_time` (milliseconds per call) is a
 * decimal the server sends as a string; the UI reads it with `Number()`, so numbers are
 * accepted too.
 */
export type ToolServer = Omit<Schemas["ToolServerPublic"], "average_response_time"> & {
  average_response_time: number | string;
};

/** Register a server; `credential` is the bearer token sent to it (write-only). */
export type ToolServerCreate = Schemas["ToolServerCreate"];

/** What a discovery found: the server, and the tool names added, updated and deactivated. */
export type DiscoveryResult = Schemas["DiscoveryResult"];

/** A discovered tool; `manifest` is the MCP tool description (`manifest.input_schema`: its JSON Schema). */
export type Tool = Schemas["ToolPublic"];

export type ToolUpdate = Schemas["ToolUpdate"];

/**
 * The filters the UI sends. Hand-written: the generated query type allows `null`, which the
 * client's query string does not take.
 */
export interface ToolFilter {
  q?: string;
  server?: string;
  status?: ToolStatus;
  tag?: string;
  limit?: number;
  offset?: number;
}

export type ToolGrant = Schemas["ToolGrantPublic"];

export type ToolGrantCreate = Schemas["ToolGrantCreate"];

const serverPath = (id: string) => `/api/v1/tool-servers/${encodeURIComponent(id)}`;

export function listToolServers(
  client: ApiClient,
  page: { limit?: number; offset?: number } = {},
  signal?: AbortSignal,
): Promise<Page<ToolServer>> {
  return client.request<Page<ToolServer>>("/api/v1/tool-servers", { query: { ...page }, signal });
}

/** Register an MCP server by its streamable HTTP URL; its tools are discovered at once unless `discover` is false. */
export function createToolServer(client: ApiClient, body: ToolServerCreate): Promise<ToolServer> {
  return client.request<ToolServer>("/api/v1/tool-servers", { json: body });
}

export async function deleteToolServer(client: ApiClient, id: string): Promise<void> {
  await client.request<void>(serverPath(id), { method: "DELETE" });
}

/** List the server's tools now: new ones are added, vanished ones become inactive. */
export function discoverTools(client: ApiClient, id: string): Promise<DiscoveryResult> {
  return client.request<DiscoveryResult>(`${serverPath(id)}/discover`, { method: "POST" });
}

/** Ping the server now; answers the server with its new status and check time. */
export function checkToolServerHealth(client: ApiClient, id: string): Promise<ToolServer> {
  return client.request<ToolServer>(`${serverPath(id)}/health`, { method: "POST" });
}

export function listTools(client: ApiClient, filter: ToolFilter = {}, signal?: AbortSignal): Promise<Page<Tool>> {
  return client.request<Page<Tool>>("/api/v1/tools", { query: { ...filter }, signal });
}

export function updateTool(client: ApiClient, toolId: string, body: ToolUpdate): Promise<Tool> {
  return client.request<Tool>(`/api/v1/tools/${encodeURIComponent(toolId)}`, { method: "PATCH", json: body });
}

/** The caller's tool grants (revoked ones carry `revoked_at`). */
export function listToolGrants(
  client: ApiClient,
  page: { limit?: number; offset?: number } = {},
  signal?: AbortSignal,
): Promise<Page<ToolGrant>> {
  return client.request<Page<ToolGrant>>("/api/v1/tool-grants", { query: { ...page }, signal });
}

/** Let an agent use a tool on the caller's behalf. */
export function grantTool(client: ApiClient, body: ToolGrantCreate): Promise<ToolGrant> {
  return client.request<ToolGrant>("/api/v1/tool-grants", { json: body });
}

/** Revoke one of the caller's grants; answers the grant with `revoked_at` set. */
export function revokeToolGrant(client: ApiClient, grantId: string): Promise<ToolGrant> {
  return client.request<ToolGrant>(`/api/v1/tool-grants/${encodeURIComponent(grantId)}`, { method: "DELETE" });
}
