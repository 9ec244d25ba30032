/**
 * Start a chat run and follow its event stream to `done`, re-attaching with
 * `Last-Event-ID` whenever the connection drops mid-run.
 */

import type { ApiClient } from "../api/client";
import { ApiError, toApiError } from "../api/problem";
import type { CompletionRequest } from "../api/types";
import { consumeEventStream } from "./consume";
import type { DecodedEvent } from "./runEvents";

export interface RunStarted {
  chatId: string | null;
  executionId: string | null;
  messageId: string | null;
}

export interface FollowCallbacks {
  onStarted?: (started: RunStarted) => void;
  onEvent: (event: DecodedEvent) => void;
  /** The stream dropped; a reconnect attempt follows after a pause. */
  onReconnecting?: (attempt: number, reason: ApiError) => void;
  /** A (re)connection is streaming again. */
  onConnected?: () => void;
}

export interface FollowOptions {
  signal?: AbortSignal;
  maxAttempts?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  backoffMs?: (attempt: number) => number;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const defaultBackoff = (attempt: number) => Math.min(10_000, 500 * 2 ** (attempt - 1));

export function executionEventsPath(executionId: string): string {
  return `/api/v1/executions/${encodeURIComponent(executionId)}/events`;
}

/** Errors after which re-attaching cannot help (the run or the access is gone). */
function isFinal(error: ApiError): boolean {
  return error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}

/**
 * Follow an execution's events from after `lastOffset` (null: from the start) until `done`.
 * `initial` is an already-open response to read first (the completion POST's own stream).
 */
export async function followExecution(
  client: ApiClient,
  executionId: string | null,
  lastOffset: number | null,
  callbacks: FollowCallbacks,
  options: FollowOptions = {},
  initial?: Response,
): Promise<void> {
  const sleep = options.sleep ?? abortableSleep;
  const backoff = options.backoffMs ?? defaultBackoff;
  const maxAttempts = options.maxAttempts ?? 8;
  let offset = lastOffset;
  let attempt = 0;
  let response: Response | undefined = initial;
  const onEvent = (event: DecodedEvent) => {
    if (event.offset !== null) offset = offset === null ? event.offset : Math.max(offset, event.offset);
    callbacks.onEvent(event);
  };

  for (;;) {
    let reason: ApiError;
    try {
      if (!response) {
        if (executionId === null)
          throw new ApiError({
            status: 0,
            title: "Stream lost",
            detail: "The run's stream ended and it cannot be resumed.",
          });
        const headers: Record<string, string> = offset === null ? {} : { "Last-Event-ID": String(offset) };
        response = await client.stream(executionEventsPath(executionId), { headers, signal: options.signal });
      }
      if (!response.body)
        throw new ApiError({ status: 0, title: "Stream lost", detail: "The server sent no event stream." });
      callbacks.onConnected?.();
      const result = await consumeEventStream(response.body, onEvent, options.signal);
      if (result.sawDone) return;
      if (result.frames > 0) attempt = 0; // progress was made: start the retry budget afresh
      reason = result.error
        ? toApiError(result.error)
        : new ApiError({
            status: 0,
            title: "Stream ended",
            detail: "The event stream closed before the run finished.",
          });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      reason = toApiError(error);
      if (isFinal(reason) || executionId === null) throw reason;
    }
    response = undefined;
    attempt += 1;
    if (attempt > maxAttempts || executionId === null) throw reason;
    callbacks.onReconnecting?.(attempt, reason);
    await sleep(backoff(attempt), options.signal);
  }
}

/** Send a message and follow the run it starts; resolves once `done` has been delivered. */
export async function runCompletion(
  client: ApiClient,
  request: CompletionRequest,
  callbacks: FollowCallbacks,
  options: FollowOptions = {},
): Promise<void> {
  const response = await client.stream("/api/v1/chat/completions", { json: request, signal: options.signal });
  const started: RunStarted = {
    chatId: response.headers.get("X-Chat-Id"),
    executionId: response.headers.get("X-Execution-Id"),
    messageId: response.headers.get("X-Message-Id"),
  };
  callbacks.onStarted?.(started);
  await followExecution(client, started.executionId, null, callbacks, options, response);
}
