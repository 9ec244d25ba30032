/**
 * The chat store: every open chat's history and live run, kept outside React so a
 * run keeps streaming while the user looks at another chat.
 */

import i18next from "i18next";
import type { ApiClient } from "../../api/client";
import { createChat, titleFromMessage } from "../../api/chats";
import { listExecutions, retryRun } from "../../api/executions";
import { toApiError } from "../../api/problem";
import type { ChatMessage } from "../../api/types";
import { followExecution, runCompletion, type FollowCallbacks } from "../../sse/followRun";
import type { DecodedEvent } from "../../sse/runEvents";
import { ChatEntries } from "./chatEntries";
import {
  INITIAL_STATE,
  applyRunEvent,
  isActiveRunStatus,
  newLiveRun,
  pendingExecution,
  retryableExecution,
  type LiveRun,
  type RunOrigin,
} from "./chatState";

/** What a run's driver gets: stream callbacks, the abort signal, and a way to name the chat. */
interface RunContext {
  callbacks: FollowCallbacks;
  signal: AbortSignal;
  /** The draft became a saved chat (its id from the server). */
  promote: (chatId: string) => void;
}

export class ChatStore extends ChatEntries {
  private readonly controllers = new Map<string, AbortController>();

  constructor(client: ApiClient) {
    super(client);
  }

  /** Send a message in a chat (or a draft: the chat is created first) and stream the run it starts. */
  send(key: string, text: string): void {
    const entry = this.getState().entries[key];
    const message = text.trim();
    if (!entry || entry.run?.active || !message) return;
    const agentId = entry.agentId;
    this.startRun(key, "send", message, null, async ({ callbacks, signal, promote }) => {
      let chatId = entry.chatId;
      if (!chatId) {
        if (!agentId) throw new Error(i18next.t("chat:errors.noAgent"));
        chatId = (await createChat(this.client, { agent_id: agentId, title: titleFromMessage(message) }, signal)).id;
        promote(chatId);
      }
      // No parent_message_id: the server continues from the chat's latest message.
      await runCompletion(this.client, { message, chat_id: chatId }, callbacks, { signal });
    });
  }

  /** Re-run the chat's failed (or stopped) latest run from its failed step, and follow the new run. */
  retry(key: string): void {
    const entry = this.getState().entries[key];
    const failed = entry ? retryableExecution(entry) : null;
    if (!entry || !failed) return;
    this.startRun(key, "retry", null, null, async ({ callbacks, signal }) => {
      const { execution_id: executionId } = await retryRun(this.client, failed);
      callbacks.onStarted?.({ chatId: null, executionId, messageId: null });
      await followExecution(this.client, executionId, null, callbacks, { signal });
    });
  }

  /**
   * Follow a run of this chat started elsewhere (run again from a node of the graph): its answer
   * streams here as a new branch of the turn, and the graph shows it.
   */
  follow(key: string, executionId: string): void {
    const entry = this.getState().entries[key];
    if (!entry || entry.run?.active) return;
    this.startRun(key, "retry", null, executionId, ({ callbacks, signal }) =>
      followExecution(this.client, executionId, null, callbacks, { signal }),
    );
  }

  /** Forget everything (logout): stop every stream and timer. */
  clear(): void {
    for (const controller of this.controllers.values()) controller.abort();
    this.controllers.clear();
    this.stopPolling();
    this.update(() => INITIAL_STATE);
  }

  /** After history loads: follow a run still going, or show the chat's latest recorded run. */
  protected afterHistory(key: string, messages: readonly ChatMessage[]): void {
    const entry = this.getState().entries[key];
    if (!entry?.chatId || entry.run?.active) return;
    if (entry.run?.executionId) {
      // A run followed here has ended: its record adds durations and tokens to the graph.
      void this.loadRecord(key, entry.run.executionId);
      return;
    }
    const active = entry.chat?.active_execution_id;
    if (active && isActiveRunStatus(entry.chat?.active_run_status)) {
      this.attach(key, active);
      return;
    }
    void this.inspectLatest(key, entry.chatId, messages);
  }

  /** Find the chat's newest run: follow it if it is still going, else load its record. */
  private async inspectLatest(key: string, chatId: string, messages: readonly ChatMessage[]): Promise<void> {
    let latest: { id: string; status: string } | null = null;
    try {
      const page = await listExecutions(this.client, { chat_id: chatId, limit: 1 });
      const first = page.items[0];
      latest = first ? { id: first.execution_id, status: first.status } : null;
    } catch {
      // Without the run list, fall back to the history: an unanswered last message may still be running.
      const pending = pendingExecution(messages);
      latest = pending ? { id: pending, status: "running" } : null;
    }
    const entry = this.getState().entries[key];
    if (!latest || !entry || entry.run) return;
    const { id } = latest;
    this.patchEntry(key, (e) => ({ ...e, latestExecutionId: id, shownExecutionId: e.shownExecutionId ?? id }));
    if (isActiveRunStatus(latest.status)) this.attach(key, id);
    else void this.loadRecord(key, id);
  }

  private attach(key: string, executionId: string): void {
    this.startRun(key, "attach", null, executionId, ({ callbacks, signal }) =>
      followExecution(this.client, executionId, null, callbacks, { signal }),
    );
  }

  private startRun(
    initialKey: string,
    origin: RunOrigin,
    userText: string | null,
    executionId: string | null,
    drive: (context: RunContext) => Promise<void>,
  ): void {
    let key = initialKey;
    const controller = new AbortController();
    this.controllers.set(key, controller);
    const run = newLiveRun(origin, executionId, userText);
    this.patchEntry(key, (e) => ({
      ...e,
      run,
      shownExecutionId: executionId,
      latestExecutionId: executionId ?? e.latestExecutionId,
    }));
    const patchRun = (patch: (r: LiveRun) => LiveRun) =>
      this.patchEntry(key, (e) => (e.run ? { ...e, run: patch(e.run) } : e));

    const promote = (chatId: string) => {
      if (chatId === key) return;
      this.promoteDraft(key, chatId);
      this.controllers.delete(key);
      key = chatId;
      this.controllers.set(key, controller);
      void this.refreshChats();
    };

    const callbacks: FollowCallbacks = {
      onStarted: (started) => {
        if (started.chatId) promote(started.chatId);
        const id = started.executionId;
        if (!id) return;
        this.patchEntry(key, (e) => ({
          ...e,
          run: e.run ? { ...e.run, executionId: id } : e.run,
          latestExecutionId: id,
          shownExecutionId: e.shownExecutionId === null ? id : e.shownExecutionId,
        }));
      },
      onEvent: (event: DecodedEvent) => patchRun((r) => applyRunEvent(r, event)),
      onReconnecting: () => patchRun((r) => ({ ...r, reconnecting: true })),
      onConnected: () => patchRun((r) => (r.reconnecting ? { ...r, reconnecting: false } : r)),
    };

    drive({ callbacks, signal: controller.signal, promote })
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
        if (origin === "attach") {
          // Re-attaching to a run found going is best effort: if it is gone, show its record instead.
          this.patchEntry(key, (e) => ({ ...e, run: null }));
          if (executionId) void this.loadRecord(key, executionId);
          return;
        }
        patchRun((r) => ({ ...r, active: false, reconnecting: false, problem: toApiError(error) }));
      })
      .finally(() => {
        if (this.controllers.get(key) === controller) this.controllers.delete(key);
      });
  }
}
