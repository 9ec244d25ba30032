/**
 * The sandbox's runs, kept outside React (as the chat store keeps its runs): the canvas
 * subscribes to the latest run's node states only, the panel to the whole conversation, so a
 * streamed word re-renders the panel and not the builder around it.
 */

import type { ApiClient } from "../../../../api/client";
import { toApiError } from "../../../../api/problem";
import { Observable } from "../../../../lib/observable";
import { runCompletion } from "../../../../sse/followRun";
import { EMPTY_SESSION, canSend, sessionReducer, type SandboxSession, type SessionAction } from "./session";

export class SandboxRuns extends Observable<SandboxSession> {
  private controller: AbortController | null = null;

  constructor(private readonly client: ApiClient) {
    super(EMPTY_SESSION);
  }

  private dispatch(action: SessionAction): void {
    this.update((session) => sessionReducer(session, action));
  }

  /** Send a message in the sandbox chat and follow the run it starts to its end. */
  send(chatId: string, text: string): void {
    const message = text.trim();
    if (!message || !canSend(this.getState())) return;
    const controller = new AbortController();
    this.controller = controller;
    this.dispatch({ type: "sent", said: message });
    // Events of a run stopped by `clear` must not reach the next conversation.
    const live = () => this.controller === controller;
    runCompletion(
      this.client,
      { message, chat_id: chatId },
      {
        onStarted: ({ executionId }) => {
          if (executionId && live()) this.dispatch({ type: "started", executionId });
        },
        onEvent: (event) => {
          if (live()) this.dispatch({ type: "event", event });
        },
      },
      { signal: controller.signal },
    )
      .then(() => {
        if (live()) this.dispatch({ type: "ended" });
      })
      .catch((error: unknown) => {
        if (live() && !controller.signal.aborted) this.dispatch({ type: "failed", problem: toApiError(error) });
      })
      .finally(() => {
        if (live()) this.controller = null;
      });
  }

  /** Stop following any run and forget the conversation (a new sandbox chat, or the panel closed). */
  clear(): void {
    this.controller?.abort();
    this.controller = null;
    this.update(() => EMPTY_SESSION);
  }
}
