/** Managing chats: list with search, open, rename/archive, delete, upgrade, export. */

import type { ApiClient } from "./client";
import { filenameFromDisposition } from "./download";
import type { ChatPublic, ChatStatus, ChatSummary, Page, Schemas } from "./types";

/**
 * The list's query. Hand-written: the generated query type allows `null`, which the client's
 * query string does not take, and checks `status` with a pattern (`ChatStatus` here).
 */
export interface ChatListParams {
  q?: string;
  status?: ChatStatus;
  agent_id?: string;
  limit?: number;
  offset?: number;
}

export type ExportFormat = "json" | "markdown";

export type ChatCreate = Schemas["ChatCreate"];

/** Rename, archive/unarchive or change the expiry; `status` narrowed to what the server's pattern allows. */
export type ChatUpdate = Omit<Schemas["ChatUpdate"], "status"> & { status?: ChatStatus | null };

const chatPath = (chatId: string) => `/api/v1/chats/${encodeURIComponent(chatId)}`;

export function listChats(
  client: ApiClient,
  params: ChatListParams = {},
  signal?: AbortSignal,
): Promise<Page<ChatSummary>> {
  return client.request<Page<ChatSummary>>("/api/v1/chats", { query: { ...params }, signal });
}

/** Open an empty chat with an agent, locked to its current published version. */
export function createChat(client: ApiClient, body: ChatCreate, signal?: AbortSignal): Promise<ChatPublic> {
  return client.request<ChatPublic>("/api/v1/chats", { json: body, signal });
}

export function updateChat(client: ApiClient, chatId: string, body: ChatUpdate): Promise<ChatPublic> {
  return client.request<ChatPublic>(chatPath(chatId), { method: "PATCH", json: body });
}

/** Delete a chat; 409 while it has a run in progress. */
export async function deleteChat(client: ApiClient, chatId: string): Promise<void> {
  await client.request<void>(chatPath(chatId), { method: "DELETE" });
}

/** Move the chat to its agent's current published version. */
export function upgradeChat(client: ApiClient, chatId: string): Promise<ChatPublic> {
  return client.request<ChatPublic>(`${chatPath(chatId)}/upgrade`, { method: "POST" });
}

/** Download the chat as JSON or Markdown. */
export async function exportChat(
  client: ApiClient,
  chatId: string,
  format: ExportFormat,
): Promise<{ blob: Blob; filename: string }> {
  const response = await client.raw(`${chatPath(chatId)}/export`, {
    query: { format },
    headers: { Accept: format === "json" ? "application/json" : "text/markdown" },
  });
  const fallback = `chat-${chatId}.${format === "json" ? "json" : "md"}`;
  return {
    blob: await response.blob(),
    filename: filenameFromDisposition(response.headers.get("Content-Disposition"), fallback),
  };
}

/** A title for a new chat from its first message: the first line, at most 80 characters. */
export function titleFromMessage(message: string): string | undefined {
  const line = message.trim().split(/\r?\n/, 1)[0]?.trim() ?? "";
  if (!line) return undefined;
  const chars = [...line];
  return chars.length <= 80 ? line : `${chars.slice(0, 79).join("").trimEnd()}…`;
}
