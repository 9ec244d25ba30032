/** The MCP tool registry: topic servers (developers), their discovered tools, and users' tool grants. */

import type { ApiClient } from "./client";
import type { Page } from "./types";

export type ToolStatus = "active" | "inactive" | "deprecated";
export const TOOL_STATUSES: readonly ToolStatus[] = ["active", "inactive", "deprecated"];

export interface ToolServer {
  id: string;
  server_id: string;
  name: string;
  description: string | null;
  endpoint_url: string;
  agent_version_id: string | null;
  /** active, inactive or error */
  status: string;
  tool_count: number;
  total_calls: number;
  success_calls: number;
  /** Milliseconds per call; a decimal, so JSON may carry it as a string. */
  average_response_time: number | string;
  /** A hint of the stored bearer credential (never the credential). */
  credentials_hint: string | null;
  last_error: string | null;
  last_health_check: string | null;
  created_at: string;
  updated_at: string;
}

export interface ToolServerCreate {
  server_id: string;
  name: string;
  description?: string;
  endpoint_url: string;
  /** Bearer token sent to the server; write-only. */
  credential?: string;
  discover?: boolean;
}

export interface DiscoveryResult {
  server: ToolServer;
  added: string[];
  updated: string[];
  deactivated: string[];
}

export interface Tool {
  id: string;
  name: string;
  version: string;
  description: string | null;
  /** The MCP tool description; `manifest.input_schema` is its JSON Schema. */
  manifest: Record<string, unknown>;
  server_endpoint: string;
  topic_server_id: string;
  status: string;
  tags: string[];
  acts_on_behalf_of_user: boolean;
  max_execution_time: number;
  created_at: string;
  updated_at: string;
}

export interface ToolFilter {
  q?: string;
  server?: string;
  status?: ToolStatus;
  tag?: string;
  limit?: number;
  offset?: number;
}

export interface ToolGrant {
  id: string;
  agent_id: string;
  tool_id: string;
  created_at: string;
  revoked_at: string | null;
}

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

export function updateTool(
  client: ApiClient,
  toolId: string,
  body: { status?: ToolStatus; tags?: string[]; max_execution_time?: number; acts_on_behalf_of_user?: boolean },
): Promise<Tool> {
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
export function grantTool(client: ApiClient, body: { agent_id: string; tool_id: string }): Promise<ToolGrant> {
  return client.request<ToolGrant>("/api/v1/tool-grants", { json: body });
}

/** Revoke one of the caller's grants; answers the grant with `revoked_at` set. */
export function revokeToolGrant(client: ApiClient, grantId: string): Promise<ToolGrant> {
  return client.request<ToolGrant>(`/api/v1/tool-grants/${encodeURIComponent(grantId)}`, { method: "DELETE" });
}
