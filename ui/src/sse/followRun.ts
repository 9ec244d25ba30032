/**
 * Start a chat run and follow its event stream to `done`, re-attaching with
 * `Last-Event-ID` whenever the connection drops mid-run.
 *
 * `@microsoft/fetch-event-source` reads the stream (frames, comments, the last event id)
 * and reconnects; this module decides where each connection goes, how long to wait
 * before the next one, and when the run is over.
 */

import { fetchEventSource, type EventSourceMessage } from "@microsoft/fetch-event-source";
import type { ApiClient } from "../api/client";
import { ApiError, toApiError } from "../api/problem";
import type { CompletionRequest } from "../api/types";
import { decodeFrame, type DecodedEvent } from "./runEvents";

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
  /** Failed reconnects in a row before giving up (a connection that delivers events resets the count). */
  maxAttempts?: number;
  /** The pause before reconnect `attempt` when the server named none (`Retry-After`). */
  backoffMs?: (attempt: number) => number;
}

const defaultBackoff = (attempt: number) => Math.min(10_000, 500 * 2 ** (attempt - 1));

/** The library's header for resuming; it updates it from every frame's `id:`. */
const LAST_EVENT_ID = "last-event-id";

export function executionEventsPath(executionId: string): string {
  return `/api/v1/executions/${encodeURIComponent(executionId)}/events`;
}

/** Errors after which re-attaching cannot help (the run or the access is gone). */
function isFinal(error: ApiError): boolean {
  return error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}

/**
 * The run is over once `done` arrives. An `error` frame without an id is the server ending
 * the stream itself (it failed, or the caller's access was revoked): nothing follows it and
 * there is no offset to resume from. A run's own `error` and `cancelled` events carry ids and
 * are followed by its `done`, which holds the final status and answer, so they do not end it.
 */
function endsStream({ offset, event }: DecodedEvent): boolean {
  return event.type === "done" || (event.type === "error" && offset === null);
}

const streamLost = () =>
  new ApiError({ status: 0, title: "Stream lost", detail: "The run's stream ended and it cannot be resumed." });

/** Where the first connection goes when it is not the execution's event stream. */
interface StartRequest {
  path: string;
  json: unknown;
}

/** Follow one run: `start` opens it (the completion POST), later connections re-attach to its events. */
async function followStream(
  client: ApiClient,
  executionId: string | null,
  lastOffset: number | null,
  start: StartRequest | null,
  callbacks: FollowCallbacks,
  options: FollowOptions,
): Promise<void> {
  const outer = options.signal;
  if (outer?.aborted) throw outer.reason;
  const backoff = options.backoffMs ?? defaultBackoff;
  const maxAttempts = options.maxAttempts ?? 8;
  let pendingStart = start;
  let attempt = 0;
  let opened = false;
  let progressed = false;
  let finished = false;
  // Aborting this ends fetchEventSource: at the run's end, or when the caller aborts (unmount).
  const closer = new AbortController();
  const onOuterAbort = () => closer.abort(outer?.reason);
  outer?.addEventListener("abort", onOuterAbort, { once: true });

  // Every connection goes through the API client: bearer token, one refresh after a 401,
  // and a non-2xx answer thrown as an ApiError (with `Retry-After` for 429/503).
  const connect = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const lastEventId = (init?.headers as Record<string, string> | undefined)?.[LAST_EVENT_ID];
    const signal = init?.signal ?? undefined;
    if (pendingStart) {
      // The run-starting POST is sent once: repeating it would start a second run.
      const { path, json } = pendingStart;
      pendingStart = null;
      const response = await client.stream(path, { json, signal });
      executionId = response.headers.get("X-Execution-Id");
      callbacks.onStarted?.({
        chatId: response.headers.get("X-Chat-Id"),
        executionId,
        messageId: response.headers.get("X-Message-Id"),
      });
      return response;
    }
    if (executionId === null) throw streamLost();
    const headers: Record<string, string> = lastEventId ? { "Last-Event-ID": lastEventId } : {};
    return client.stream(executionEventsPath(executionId), { headers, signal });
  };

  try {
    // The URL is chosen per connection by `connect`; this one is only the first connection's.
    await fetchEventSource(start ? start.path : executionEventsPath(executionId ?? ""), {
      fetch: connect,
      signal: closer.signal,
      headers: lastOffset === null ? {} : { [LAST_EVENT_ID]: String(lastOffset) },
      // A hidden tab keeps streaming: a run in the background must not miss its end.
      openWhenHidden: true,
      onopen: async () => {
        opened = true;
        callbacks.onConnected?.();
      },
      onmessage: (message: EventSourceMessage) => {
        // A heartbeat comment reaches here as an empty message; a frame after the end is ignored.
        if (finished || (message.data === "" && message.event === "")) return;
        const decoded = decodeFrame(message);
        progressed = true;
        callbacks.onEvent(decoded);
        if (endsStream(decoded)) {
          finished = true;
          closer.abort();
        }
      },
      onclose: () => {
        if (finished) return;
        // Thrown errors go to onerror, which decides whether to reconnect.
        throw new ApiError({
          status: 0,
          title: "Stream ended",
          detail: "The event stream closed before the run finished.",
        });
      },
      onerror: (error: unknown) => {
        const reason = toApiError(error);
        if (isFinal(reason)) throw reason;
        // Nothing to re-attach to: the POST itself failed (never retried), or gave no execution id.
        if (executionId === null) throw opened ? streamLost() : reason;
        if (progressed) attempt = 0; // the connection made progress: start the retry budget afresh
        progressed = false;
        attempt += 1;
        if (attempt > maxAttempts) throw reason;
        callbacks.onReconnecting?.(attempt, reason);
        // Aborted meanwhile (say, by that callback): the library would still schedule the retry.
        if (closer.signal.aborted) throw reason;
        return reason.retryAfterSeconds !== null ? reason.retryAfterSeconds * 1000 : backoff(attempt);
      },
    });
  } finally {
    outer?.removeEventListener("abort", onOuterAbort);
  }
  // fetchEventSource resolves when aborted; the caller sees its own abort, as with fetch.
  if (outer?.aborted) throw outer.reason;
}

/**
 * Follow an execution's events from after `lastOffset` (null: from the start) until `done`.
 * Rejects with an ApiError when the stream cannot be followed, or with the abort reason.
 */
export async function followExecution(
  client: ApiClient,
  executionId: string | null,
  lastOffset: number | null,
  callbacks: FollowCallbacks,
  options: FollowOptions = {},
): Promise<void> {
  if (executionId === null) throw streamLost();
  await followStream(client, executionId, lastOffset, null, callbacks, options);
}

/** Send a message and follow the run it starts; resolves once `done` has been delivered. */
export async function runCompletion(
  client: ApiClient,
  request: CompletionRequest,
  callbacks: FollowCallbacks,
  options: FollowOptions = {},
): Promise<void> {
  await followStream(client, null, null, { path: "/api/v1/chat/completions", json: request }, callbacks, options);
}
