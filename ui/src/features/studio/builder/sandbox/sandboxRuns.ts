/**
 * The sandbox's runs, kept outside React (as the chat store keeps its runs): the canvas
 * subscribes to the latest run's node states only, the panel to the whole conversation, so a
 * streamed word re-renders the panel and not the builder around it.
 *
 * A sandbox run belongs to the panel it was started from: when the panel closes (or a new
 * sandbox chat replaces the conversation) a run still going is cancelled, so no test run keeps
 * spending tokens or leaves a task in the reviewers' inbox once nobody watches it.
 */

import type { ApiClient } from "../../../../api/client";
import { controlRun } from "../../../../api/executions";
import { toApiError } from "../../../../api/problem";
import { Observable } from "../../../../lib/observable";
import type { BreakpointSet } from "../../../../run/debug/breakpoints";
import { runCompletion } from "../../../../sse/followRun";
import { EMPTY_SESSION, canSend, latestTurn, sessionReducer, type SandboxSession, type SessionAction } from "./session";

export class SandboxRuns extends Observable<SandboxSession> {
  private controller: AbortController | null = null;
  /** Requests of a closed conversation whose run had not said its id yet: cancelled once it does. */
  private readonly abandoned = new Set<AbortController>();

  constructor(private readonly client: ApiClient) {
    super(EMPTY_SESSION);
  }

  private dispatch(action: SessionAction): void {
    this.update((session) => sessionReducer(session, action));
  }

  /**
   * Send a message in the sandbox chat and follow the run it starts to its end; with
   * `breakpoints`, the run pauses at them for the debugger.
   */
  send(chatId: string, text: string, breakpoints?: BreakpointSet): void {
    const message = text.trim();
    if (!message || !canSend(this.getState())) return;
    const controller = new AbortController();
    this.controller = controller;
    this.dispatch({ type: "sent", said: message });
    // Events of a run stopped by `clear` must not reach the next conversation.
    const live = () => this.controller === controller;
    runCompletion(
      this.client,
      breakpoints
        ? { message, chat_id: chatId, breakpoints: { before: [...breakpoints.before], after: [...breakpoints.after] } }
        : { message, chat_id: chatId },
      {
        onStarted: ({ executionId }) => {
          if (this.abandoned.delete(controller)) {
            controller.abort();
            if (executionId) this.cancelRun(executionId);
          } else if (executionId && live()) this.dispatch({ type: "started", executionId });
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
        this.abandoned.delete(controller);
        if (live()) this.controller = null;
      });
  }

  /**
   * Forget the conversation (the panel closed, or a new sandbox chat), cancelling its run if it
   * is still going. A run whose id is not known yet (its request still on the way) is left to
   * start and cancelled as soon as it says which it is.
   */
  close(): void {
    const controller = this.controller;
    const turn = latestTurn(this.getState());
    this.controller = null;
    if (controller && turn?.active && !turn.executionId) {
      this.abandoned.add(controller);
    } else {
      controller?.abort();
      if (turn?.active && turn.executionId) this.cancelRun(turn.executionId);
    }
    this.update(() => EMPTY_SESSION);
  }

  private cancelRun(executionId: string): void {
    // Nobody is left to tell: a run that ended meanwhile answers 409, which is what was wanted.
    controlRun(this.client, executionId, "cancel").catch(() => undefined);
  }
}
