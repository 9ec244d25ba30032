/**
 * Follow one server-sent event stream until its last event, re-attaching with `Last-Event-ID`
 * when the connection drops. `@microsoft/fetch-event-source` reads the stream; every connection
 * goes through the API client (bearer token, one refresh after a 401). Ingestions and replay
 * checks follow their streams with it; runs have their own follower (run streams resume and
 * reset in ways of their own).
 */

import { fetchEventSource, type EventSourceMessage } from "@microsoft/fetch-event-source";
import type { ApiClient } from "../api/client";
import { ApiError, toApiError } from "../api/problem";
import type { SseFrame } from "./runEvents";

export interface FollowOptions {
  signal?: AbortSignal;
  /** Failed connections in a row before giving up. */
  maxAttempts?: number;
  /** The pause before reconnect `attempt` when the server named none. */
  backoffMs?: (attempt: number) => number;
}

export interface StreamSpec {
  /** The stream's path under the API. */
  path: string;
  /** Whether this message is the stream's last. */
  ends: (message: EventSourceMessage) => boolean;
  /** What the stream is, for the error when it stops early ("the ingestion's events"). */
  what: string;
}

const defaultBackoff = (attempt: number) => Math.min(10_000, 500 * 2 ** (attempt - 1));

/** Errors after which reconnecting cannot help (the stream's subject or the access is gone). */
const isFinal = (error: ApiError) =>
  error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;

/**
 * Deliver each event of the stream to `onEvent` until it ends. Resolves after the last event (or
 * when `signal` aborts); rejects with an ApiError when the stream cannot be followed.
 */
export async function followStream(
  client: ApiClient,
  spec: StreamSpec,
  onEvent: (frame: SseFrame) => void,
  options: FollowOptions = {},
): Promise<void> {
  const outer = options.signal;
  if (outer?.aborted) return;
  const backoff = options.backoffMs ?? defaultBackoff;
  const maxAttempts = options.maxAttempts ?? 6;
  const closer = new AbortController();
  const onOuterAbort = () => closer.abort();
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  let finished = false;
  let attempt = 0;

  const connect = (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // The library keeps the last frame's id in this header for the next connection.
    const lastEventId = (init?.headers as Record<string, string> | undefined)?.["last-event-id"];
    const headers: Record<string, string> = lastEventId ? { "Last-Event-ID": lastEventId } : {};
    return client.stream(spec.path, { headers, signal: init?.signal ?? undefined });
  };

  try {
    await fetchEventSource(spec.path, {
      fetch: connect,
      signal: closer.signal,
      openWhenHidden: true,
      onopen: async () => {},
      onmessage: (message: EventSourceMessage) => {
        // A keep-alive comment arrives as an empty message.
        if (finished || (message.data === "" && message.event === "")) return;
        attempt = 0;
        onEvent({ id: message.id, event: message.event, data: message.data });
        if (spec.ends(message)) {
          finished = true;
          closer.abort();
        }
      },
      onclose: () => {
        if (finished) return;
        throw new ApiError({ status: 0, title: "Stream ended", detail: `${spec.what} stopped early.` });
      },
      onerror: (error: unknown) => {
        const reason = toApiError(error);
        attempt += 1;
        if (isFinal(reason) || attempt > maxAttempts || closer.signal.aborted) throw reason;
        return reason.retryAfterSeconds !== null ? reason.retryAfterSeconds * 1000 : backoff(attempt);
      },
    });
  } finally {
    outer?.removeEventListener("abort", onOuterAbort);
  }
}
