/**
 * Server state of the chat pages that lives outside the chat store (TanStack Query): the agent
 * search of "New chat", run controls and the chat's header actions. The chats themselves, their
 * histories and live runs stay in the chat store, which refreshes them after every change, so
 * these changes make no cached query stale.
 */

import { keepPreviousData, mutationOptions, queryOptions } from "@tanstack/react-query";
import { exportChat, type ExportFormat } from "../../api/chats";
import type { ApiClient } from "../../api/client";
import { saveBlob } from "../../api/download";
import { listAgents } from "../../api/endpoints";
import { controlRun, type RunControl } from "../../api/executions";
import type { ChatStore } from "./chatStore";

/** Cache keys. */
export const chatKeys = {
  agentSearch: (q: string) => ["chat", "agents", q] as const,
};

const PICKER_PAGE = 50;

/** The published agents matching `q` (all of them for ""), for the agent picker. */
export const agentSearchQuery = (client: ApiClient, q: string) =>
  queryOptions({
    queryKey: chatKeys.agentSearch(q),
    queryFn: ({ signal }) => listAgents(client, { q: q || undefined, limit: PICKER_PAGE }, signal),
    // While the next search loads, the last answer stays on screen instead of an empty list.
    placeholderData: keepPreviousData,
  });

/** Pause, resume or stop a run; the run's stream reports the effect. */
export const runControlMutation = (client: ApiClient, executionId: string) =>
  mutationOptions({
    mutationFn: (control: RunControl) => controlRun(client, executionId, control),
  });

/** What the chat's header can do to it. */
export type ChatChange =
  | { kind: "rename"; title: string }
  | { kind: "archive"; archived: boolean }
  | { kind: "upgrade" }
  | { kind: "export"; format: ExportFormat };

/** One change to a saved chat, through the chat store (or a download, for an export). */
export const chatChangeMutation = (client: ApiClient, chats: ChatStore, key: string, chatId: string | null) =>
  mutationOptions({
    mutationFn: async (change: ChatChange) => {
      switch (change.kind) {
        case "rename":
          return chats.rename(key, change.title);
        case "archive":
          return chats.setArchived(key, change.archived);
        case "upgrade":
          return chats.upgrade(key);
        case "export": {
          if (!chatId) return;
          const file = await exportChat(client, chatId, change.format);
          saveBlob(file.blob, file.filename);
        }
      }
    },
  });

/** Delete the chat (refused while its run goes on). */
export const chatRemovalMutation = (chats: ChatStore, key: string) =>
  mutationOptions({ mutationFn: () => chats.remove(key) });
