/**
 * The chat store: every open chat's history and live run, kept outside React so a
 * run keeps streaming while the user looks at another chat.
 */

import type { ApiClient } from "../api/client";
import { getChatHistory, listAgents, listChats } from "../api/endpoints";
import { toApiError } from "../api/problem";
import { INITIAL_RUN_VIEW, runReducer } from "../run/runView";
import { followExecution, runCompletion, type FollowCallbacks } from "../sse/followRun";
import type { DecodedEvent } from "../sse/runEvents";
import {
  DRAFT_PREFIX,
  INITIAL_STATE,
  historyHoldsAnswer,
  newEntry,
  pendingExecution,
  type ChatEntry,
  type ChatStoreState,
  type LiveRun,
} from "./chatState";
import { Observable } from "./observable";

const CHAT_PAGE = 100;
const AGENT_PAGE = 100;

export class ChatStore extends Observable<ChatStoreState> {
  private readonly controllers = new Map<string, AbortController>();
  private draftCounter = 0;

  constructor(private readonly client: ApiClient) {
    super(INITIAL_STATE);
  }

  /** Load the sidebar's chat list. */
  async refreshChats(): Promise<void> {
    this.update((s) => ({ ...s, chats: { ...s.chats, status: "loading" } }));
    try {
      const page = await listChats(this.client, { limit: CHAT_PAGE });
      this.update((s) => ({ ...s, chats: { status: "ready", data: page.items, error: null } }));
    } catch (error) {
      this.update((s) => ({ ...s, chats: { ...s.chats, status: "error", error: toApiError(error) } }));
    }
  }

  /** Load the tenant's published agents (names for the sidebar, choices for a new chat). */
  async refreshAgents(): Promise<void> {
    this.update((s) => ({ ...s, agents: { ...s.agents, status: "loading" } }));
    try {
      const page = await listAgents(this.client, { limit: AGENT_PAGE });
      this.update((s) => ({ ...s, agents: { status: "ready", data: page.items, error: null } }));
    } catch (error) {
      this.update((s) => ({ ...s, agents: { ...s.agents, status: "error", error: toApiError(error) } }));
    }
  }

  /** Start a new, unsaved chat with an agent (reusing an untouched draft for it); returns its key. */
  createDraft(agent: { id: string; name: string }): string {
    const untouched = Object.values(this.getState().entries).find(
      (e) => e.chatId === null && e.agentId === agent.id && e.run === null,
    );
    if (untouched) return untouched.key;
    this.draftCounter += 1;
    const key = `${DRAFT_PREFIX}${Date.now().toString(36)}-${this.draftCounter}`;
    this.update((s) => ({ ...s, entries: { ...s.entries, [key]: newEntry(key, null, agent.id, agent.name) } }));
    return key;
  }

  /** Make sure an existing chat is in the store and its history loaded. */
  openChat(chatId: string): void {
    const entry = this.getState().entries[chatId];
    if (!entry) {
      const summary = this.getState().chats.data.find((c) => c.id === chatId) ?? null;
      this.update((s) => ({
        ...s,
        entries: { ...s.entries, [chatId]: { ...newEntry(chatId, chatId, summary?.agent_id ?? null), chat: summary } },
      }));
    }
    const status = this.getState().entries[chatId]?.history.status;
    if (status === "idle" || status === "error") void this.loadHistory(chatId);
  }

  /** (Re)load a chat's messages; re-attach to a run that may still be going. */
  async loadHistory(key: string): Promise<void> {
    const chatId = this.getState().entries[key]?.chatId;
    if (!chatId) return;
    this.patchEntry(key, (e) => ({ ...e, history: { ...e.history, status: "loading", error: null } }));
    try {
      const history = await getChatHistory(this.client, chatId);
      this.patchEntry(key, (e) => {
        const run =
          e.run && !e.run.active && historyHoldsAnswer(history.messages, e.run) ? { ...e.run, settled: true } : e.run;
        return {
          ...e,
          chat: history.chat,
          agentId: history.chat.agent_id,
          history: { status: "ready", data: history.messages, error: null },
          run,
        };
      });
      const executionId = pendingExecution(history.messages);
      const entry = this.getState().entries[key];
      if (executionId && entry && !entry.run) this.attach(key, executionId);
    } catch (error) {
      this.patchEntry(key, (e) => ({ ...e, history: { ...e.history, status: "error", error: toApiError(error) } }));
    }
  }

  /** Send a message in a chat (or draft) and stream the run it starts. */
  send(key: string, text: string): void {
    const entry = this.getState().entries[key];
    const message = text.trim();
    if (!entry || entry.run?.active || !message) return;
    // No parent_message_id: the server continues from the chat's latest message.
    const request = {
      message,
      ...(entry.chatId ? { chat_id: entry.chatId } : entry.agentId ? { agent_id: entry.agentId } : {}),
    };
    this.startRun(key, message, null, (callbacks, signal) =>
      runCompletion(this.client, request, callbacks, { signal }),
    );
  }

  /** Forget everything (logout): stop every stream. */
  clear(): void {
    for (const controller of this.controllers.values()) controller.abort();
    this.controllers.clear();
    this.update(() => INITIAL_STATE);
  }

  private attach(key: string, executionId: string): void {
    this.startRun(key, null, executionId, (callbacks, signal) =>
      followExecution(this.client, executionId, null, callbacks, { signal }),
    );
  }

  private startRun(
    initialKey: string,
    userText: string | null,
    executionId: string | null,
    follow: (callbacks: FollowCallbacks, signal: AbortSignal) => Promise<void>,
  ): void {
    let key = initialKey;
    const controller = new AbortController();
    this.controllers.set(key, controller);
    const run: LiveRun = {
      executionId,
      userText,
      view: INITIAL_RUN_VIEW,
      active: true,
      reconnecting: false,
      problem: null,
      settled: false,
    };
    this.patchEntry(key, (e) => ({ ...e, run }));
    const patchRun = (patch: (r: LiveRun) => LiveRun) =>
      this.patchEntry(key, (e) => (e.run ? { ...e, run: patch(e.run) } : e));

    const callbacks: FollowCallbacks = {
      onStarted: (started) => {
        patchRun((r) => ({ ...r, executionId: started.executionId }));
        if (started.chatId && started.chatId !== key) {
          this.promoteDraft(key, started.chatId);
          this.controllers.delete(key);
          key = started.chatId;
          this.controllers.set(key, controller);
          void this.refreshChats();
        }
      },
      onEvent: (event: DecodedEvent) => patchRun((r) => ({ ...r, view: runReducer(r.view, event) })),
      onReconnecting: () => patchRun((r) => ({ ...r, reconnecting: true })),
      onConnected: () => patchRun((r) => (r.reconnecting ? { ...r, reconnecting: false } : r)),
    };

    follow(callbacks, controller.signal)
      .then(() => {
        patchRun((r) => ({ ...r, active: false, reconnecting: false }));
        void this.loadHistory(key);
        void this.refreshChats();
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) {
          patchRun((r) => ({ ...r, active: false, reconnecting: false }));
          return;
        }
        if (userText === null) {
          // Re-attaching to a run seen in history is best effort: if it is gone, show history only.
          this.patchEntry(key, (e) => ({ ...e, run: null }));
          return;
        }
        patchRun((r) => ({ ...r, active: false, reconnecting: false, problem: toApiError(error) }));
      })
      .finally(() => {
        if (this.controllers.get(key) === controller) this.controllers.delete(key);
      });
  }

  /** A draft's first message created a chat: move the entry under the chat id. */
  private promoteDraft(draftKey: string, chatId: string): void {
    this.update((s) => {
      const draft = s.entries[draftKey];
      if (!draft) return s;
      const { [draftKey]: _moved, ...rest } = s.entries;
      return {
        ...s,
        entries: { ...rest, [chatId]: { ...draft, key: chatId, chatId } },
        aliases: { ...s.aliases, [draftKey]: chatId },
      };
    });
  }

  private patchEntry(key: string, patch: (entry: ChatEntry) => ChatEntry): void {
    this.update((s) => {
      const entry = s.entries[key];
      if (!entry) return s;
      const next = patch(entry);
      return next === entry ? s : { ...s, entries: { ...s.entries, [key]: next } };
    });
  }
}
