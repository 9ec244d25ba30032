/** The shape of the chat store's state and small pure helpers over it. */

import type { ApiError } from "../api/problem";
import type { AgentSummary, ChatMessage, ChatSummary } from "../api/types";
import type { RunView } from "../run/runView";

export type LoadStatus = "idle" | "loading" | "ready" | "error";

export interface Loadable<T> {
  status: LoadStatus;
  data: T;
  error: ApiError | null;
}

export interface LiveRun {
  executionId: string | null;
  /** The text the user sent (null when re-attaching to a run found in history). */
  userText: string | null;
  view: RunView;
  /** A request or stream is in progress. */
  active: boolean;
  /** Re-attaching after a dropped connection. */
  reconnecting: boolean;
  /** The run could not be started or followed. */
  problem: ApiError | null;
  /** History was reloaded after `done` and holds the answer: hide the live bubbles. */
  settled: boolean;
}

export interface ChatEntry {
  /** The chat id, or a draft key until the server assigns one. */
  key: string;
  chatId: string | null;
  agentId: string | null;
  /** The agent's name when known from the picker (it may not be in the loaded agent list). */
  agentName: string | null;
  chat: ChatSummary | null;
  history: Loadable<ChatMessage[]>;
  run: LiveRun | null;
}

export interface ChatStoreState {
  entries: Readonly<Record<string, ChatEntry>>;
  /** Draft keys that became real chats: the view showing a draft follows it. */
  aliases: Readonly<Record<string, string>>;
  chats: Loadable<ChatSummary[]>;
  agents: Loadable<AgentSummary[]>;
}

export const DRAFT_PREFIX = "draft-";

export function emptyLoadable<T>(data: T): Loadable<T> {
  return { status: "idle", data, error: null };
}

export const INITIAL_STATE: ChatStoreState = {
  entries: {},
  aliases: {},
  chats: emptyLoadable([]),
  agents: emptyLoadable([]),
};

export function newEntry(
  key: string,
  chatId: string | null,
  agentId: string | null,
  agentName: string | null = null,
): ChatEntry {
  return { key, chatId, agentId, agentName, chat: null, history: emptyLoadable([]), run: null };
}

/** An agent's display name from the loaded list, else the name remembered on the entry. */
export function agentNameFor(
  agents: readonly AgentSummary[],
  agentId: string | null,
  fallback: string | null = null,
): string | null {
  if (!agentId) return fallback;
  return agents.find((a) => a.id === agentId)?.name ?? fallback;
}

/**
 * The execution to re-attach to when a chat is opened: its last message is the user's,
 * carries an execution id, and no answer follows (the run may still be going).
 */
export function pendingExecution(messages: readonly ChatMessage[]): string | null {
  const last = messages[messages.length - 1];
  if (!last || last.role !== "user" || !last.workflow_execution_id) return null;
  return last.workflow_execution_id;
}

/** Whether `messages` already hold the run's stored answer. */
export function historyHoldsAnswer(messages: readonly ChatMessage[], run: LiveRun): boolean {
  const done = run.view.done;
  if (!done) return false;
  if (done.messageId) return messages.some((m) => m.id === done.messageId);
  return messages.some((m) => m.role === "assistant" && m.workflow_execution_id === run.executionId);
}
