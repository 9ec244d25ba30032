/** Read endpoints of the API, one function each. */

import type { ApiClient } from "./client";
import type { AgentSummary, ChatHistory, Health, NodeTypeInfo, Page } from "./types";

export function listAgents(
  client: ApiClient,
  params: { q?: string; limit?: number; offset?: number } = {},
  signal?: AbortSignal,
): Promise<Page<AgentSummary>> {
  return client.request<Page<AgentSummary>>("/api/v1/agents", { query: params, signal });
}

export function getChatHistory(client: ApiClient, chatId: string, signal?: AbortSignal): Promise<ChatHistory> {
  return client.request<ChatHistory>("/api/v1/chat/history", { query: { chat_id: chatId }, signal });
}

export function listNodeTypes(client: ApiClient, signal?: AbortSignal): Promise<NodeTypeInfo[]> {
  return client.request<NodeTypeInfo[]>("/api/v1/node-types", { signal });
}

export function getHealth(client: ApiClient, signal?: AbortSignal): Promise<Health> {
  return client.request<Health>("/api/v1/health", { signal, auth: false });
}
