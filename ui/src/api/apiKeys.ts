/** The caller's API keys: list, create (the secret is shown once), revoke. */

import type { ApiClient } from "./client";

export interface ApiKey {
  id: string;
  name: string | null;
  key_prefix: string;
  scopes: string[];
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

/** The one answer that carries the full key. */
export interface ApiKeyCreated extends ApiKey {
  key: string;
}

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

export function createApiKey(
  client: ApiClient,
  body: { name: string; scopes: string[]; expires_at?: string },
): Promise<ApiKeyCreated> {
  return client.request<ApiKeyCreated>("/api/v1/api-keys", { json: body });
}

export async function revokeApiKey(client: ApiClient, keyId: string): Promise<void> {
  await client.request<void>(`/api/v1/api-keys/${encodeURIComponent(keyId)}`, { method: "DELETE" });
}
