/** The caller's API keys: list, create (the secret is shown once), revoke. */

import type { ApiClient } from "./client";
import type { Schemas } from "./types";

export type ApiKey = Schemas["ApiKeyPublic"];

/** The one answer that carries the full key. */
export type ApiKeyCreated = Schemas["ApiKeyCreated"];

export type ApiKeyCreate = Schemas["ApiKeyCreate"];

export const API_KEY_SCOPES: readonly { scope: string; description: string }[] = [
  { scope: "chat:read", description: "Read chats, messages and runs" },
  { scope: "chat:write", description: "Send messages and manage chats" },
  { scope: "agent:execute", description: "Run agents (direct execution, the OpenAI-compatible API, MCP)" },
  { scope: "agent:manage", description: "Create and version agents and templates" },
  { scope: "review:complete", description: "Work the reviewer inbox" },
  { scope: "tools:call", description: "Call the bundled MCP tools (calculator, time, knowledge search, HTTP GET)" },
  { scope: "tenant:manage", description: "Administer the organisation: users, providers, usage, audit log" },
];

export function listApiKeys(client: ApiClient, signal?: AbortSignal): Promise<ApiKey[]> {
  return client.request<ApiKey[]>("/api/v1/api-keys", { signal });
}

export function createApiKey(client: ApiClient, body: ApiKeyCreate): Promise<ApiKeyCreated> {
  return client.request<ApiKeyCreated>("/api/v1/api-keys", { json: body });
}

export async function revokeApiKey(client: ApiClient, keyId: string): Promise<void> {
  await client.request<void>(`/api/v1/api-keys/${encodeURIComponent(keyId)}`, { method: "DELETE" });
}
