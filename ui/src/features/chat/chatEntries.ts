/**
 * The chat store's base: the chat list (search, archived view, polling while runs go on
 * elsewhere), the agents, drafts, each open chat's history and recorded runs, and the
 * chat actions (rename, archive, delete, upgrade). Live runs are in `chatStore.ts`.
 */

import i18next from "i18next";
import type { ApiClient } from "../../api/client";
import { deleteChat, listChats, updateChat, upgradeChat } from "../../api/chats";
import { getChatHistory, listAgents } from "../../api/endpoints";
import { getExecution } from "../../api/executions";
import { toApiError } from "../../api/problem";
import type { ChatMessage, ChatPublic, ChatSummary } from "../../api/types";
import {
  DRAFT_PREFIX,
  INITIAL_STATE,
  historyHoldsAnswer,
  newEntry,
  type ChatEntry,
  type ChatFilter,
  type ChatStoreState,
} from "./chatState";
import { Observable } from "../../lib/observable";

const CHAT_PAGE = 100;
const AGENT_PAGE = 100;
/** How often the list is reloaded while a chat not followed here has a run going. */
export const LIST_POLL_MS = 5_000;

export abstract class ChatEntries extends Observable<ChatStoreState> {
  private draftCounter = 0;
  private listRequest = 0;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(protected readonly client: ApiClient) {
    super(INITIAL_STATE);
  }

  /** A chat's history was (re)loaded; the subclass decides whether a run is to be followed. */
  protected abstract afterHistory(key: string, messages: readonly ChatMessage[]): void;

  /** Load the chat list for the current filter; a newer request wins over an older one. */
  async refreshChats(): Promise<void> {
    const request = ++this.listRequest;
    const filter = this.getState().chatFilter;
    this.update((s) => ({ ...s, chats: { ...s.chats, status: "loading" } }));
    try {
      const page = await listChats(this.client, {
        q: filter.q.trim() || undefined,
        status: filter.status,
        limit: CHAT_PAGE,
      });
      if (request !== this.listRequest) return;
      this.update((s) => ({ ...s, chats: { status: "ready", data: page.items, error: null } }));
      this.mergeSummaries(page.items);
      this.schedulePoll();
    } catch (error) {
      if (request !== this.listRequest) return;
      this.update((s) => ({ ...s, chats: { ...s.chats, status: "error", error: toApiError(error) } }));
    }
  }

  /** Search titles or switch between active and archived chats. */
  setChatFilter(patch: Partial<ChatFilter>): void {
    const current = this.getState().chatFilter;
    const next = { ...current, ...patch };
    if (next.q === current.q && next.status === current.status) return;
    this.update((s) => ({
      ...s,
      chatFilter: next,
      chats: next.status !== current.status ? { ...s.chats, data: [] } : s.chats,
    }));
    void this.refreshChats();
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
      const summary = this.listed(chatId);
      this.update((s) => ({
        ...s,
        entries: { ...s.entries, [chatId]: { ...newEntry(chatId, chatId, summary?.agent_id ?? null), chat: summary } },
      }));
    }
    const status = this.getState().entries[chatId]?.history.status;
    if (status === "idle" || status === "error") void this.loadHistory(chatId);
  }

  /** (Re)load a chat's messages, then let the subclass find the run to follow or show. */
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
          chat: { ...e.chat, ...history.chat },
          agentId: history.chat.agent_id,
          history: { status: "ready", data: history.messages, error: null },
          run,
        };
      });
      this.afterHistory(key, history.messages);
    } catch (error) {
      this.patchEntry(key, (e) => ({ ...e, history: { ...e.history, status: "error", error: toApiError(error) } }));
    }
  }

  /** Load a recorded run (its node executions) unless it is loaded or loading; `force` reloads. */
  async loadRecord(key: string, executionId: string, force = false): Promise<void> {
    const existing = this.getState().entries[key]?.records[executionId];
    if (existing && !force && (existing.status === "ready" || existing.status === "loading")) return;
    const setRecord = (record: ChatEntry["records"][string]) =>
      this.patchEntry(key, (e) => ({ ...e, records: { ...e.records, [executionId]: record } }));
    setRecord({ status: "loading", data: existing?.data ?? null, error: null });
    try {
      setRecord({ status: "ready", data: await getExecution(this.client, executionId), error: null });
    } catch (error) {
      setRecord({ status: "error", data: null, error: toApiError(error) });
    }
  }

  /** Show a run in the graph panel (null: the live run), loading its record if needed. */
  showRun(key: string, executionId: string | null): void {
    this.patchEntry(key, (e) => (e.shownExecutionId === executionId ? e : { ...e, shownExecutionId: executionId }));
    const entry = this.getState().entries[key];
    if (executionId && !(entry?.run?.active && entry.run.executionId === executionId)) {
      void this.loadRecord(key, executionId);
    }
  }

  async rename(key: string, title: string): Promise<void> {
    const chatId = this.chatIdOf(key);
    this.applyChat(await updateChat(this.client, chatId, { title: title.trim() }));
  }

  async setArchived(key: string, archived: boolean): Promise<void> {
    const chatId = this.chatIdOf(key);
    this.applyChat(await updateChat(this.client, chatId, { status: archived ? "archived" : "active" }));
    void this.refreshChats();
  }

  /** Delete the chat (409 while a run is in progress) and forget it here. */
  async remove(key: string): Promise<void> {
    const chatId = this.chatIdOf(key);
    await deleteChat(this.client, chatId);
    this.forget(key);
    void this.refreshChats();
  }

  /** Move the chat to its agent's current version. */
  async upgrade(key: string): Promise<void> {
    const chatId = this.chatIdOf(key);
    this.applyChat(await upgradeChat(this.client, chatId));
    void this.refreshChats();
  }

  /** Stop polling (logout). */
  protected stopPolling(): void {
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.listRequest += 1; // answers still in flight are now stale
  }

  protected forget(key: string): void {
    this.update((s) => {
      if (!(key in s.entries)) return { ...s, chats: { ...s.chats, data: s.chats.data.filter((c) => c.id !== key) } };
      const { [key]: _gone, ...entries } = s.entries;
      return { ...s, entries, chats: { ...s.chats, data: s.chats.data.filter((c) => c.id !== key) } };
    });
  }

  protected listed(chatId: string): ChatSummary | null {
    return this.getState().chats.data.find((c) => c.id === chatId) ?? null;
  }

  /** A draft's first message created a chat: move the entry under the chat id. */
  protected promoteDraft(draftKey: string, chatId: string): void {
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

  protected patchEntry(key: string, patch: (entry: ChatEntry) => ChatEntry): void {
    this.update((s) => {
      const entry = s.entries[key];
      if (!entry) return s;
      const next = patch(entry);
      return next === entry ? s : { ...s, entries: { ...s.entries, [key]: next } };
    });
  }

  private chatIdOf(key: string): string {
    const chatId = this.getState().entries[key]?.chatId;
    if (!chatId) throw new Error(i18next.t("chat:errors.notSaved"));
    return chatId;
  }

  /** The server's new view of a chat: update its entry and its place in the list. */
  private applyChat(chat: ChatPublic): void {
    const merge = (old: ChatSummary | null): ChatSummary => {
      if (!old || old.agent_version_id === chat.agent_version_id) return { ...old, ...chat };
      // Moved to another version: its number is known only if it is the agent's current one.
      const current = this.getState().agents.data.find((a) => a.id === chat.agent_id)?.current_version;
      return { ...old, ...chat, agent_version: current?.id === chat.agent_version_id ? current.version : undefined };
    };
    this.patchEntry(chat.id, (e) => ({ ...e, chat: merge(e.chat) }));
    this.update((s) => {
      const index = s.chats.data.findIndex((c) => c.id === chat.id);
      if (index === -1) return s;
      const data = s.chats.data.slice();
      if (chat.status !== s.chatFilter.status) data.splice(index, 1);
      else data[index] = merge(data[index]!);
      return { ...s, chats: { ...s.chats, data } };
    });
  }

  /** Keep open chats' list fields (agent name and version, run status) current. */
  private mergeSummaries(items: readonly ChatSummary[]): void {
    this.update((s) => {
      let entries = s.entries;
      for (const item of items) {
        const entry = entries[item.id];
        if (!entry) continue;
        entries = { ...entries, [item.id]: { ...entry, chat: { ...entry.chat, ...item } } };
      }
      return entries === s.entries ? s : { ...s, entries };
    });
  }

  /** While a listed chat has a run this tab does not follow, reload the list now and then. */
  private schedulePoll(): void {
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    const { chats, entries } = this.getState();
    const unfollowed = chats.data.some((c) => c.active_run_status && !entries[c.id]?.run?.active);
    if (!unfollowed) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      void this.refreshChats();
    }, LIST_POLL_MS);
  }
}
