/**
 * Follow one document's ingestion events (SSE) until `done`, re-attaching with `Last-Event-ID`
 * when the connection drops. `@microsoft/fetch-event-source` reads the stream; every connection
 * goes through the API client (bearer token, one refresh after a 401), as runs do.
 */

import { fetchEventSource, type EventSourceMessage } from "@microsoft/fetch-event-source";
import type { ApiClient } from "../../api/client";
import { ApiError, toApiError } from "../../api/problem";
import type { SseFrame } from "../../sse/runEvents";
import { documentEventsPath } from "./api";
import { endsIngestionStream } from "./ingestion";

export interface FollowDocumentOptions {
  signal?: AbortSignal;
  /** Failed connections in a row before giving up. */
  maxAttempts?: number;
  /** The pause before reconnect `attempt` when the server named none. */
  backoffMs?: (attempt: number) => number;
}

const defaultBackoff = (attempt: number) => Math.min(10_000, 500 * 2 ** (attempt - 1));

/** Errors after which reconnecting cannot help (the document or the access is gone). */
const isFinal = (error: ApiError) =>
  error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;

/**
 * Deliver each event of the document's latest ingestion to `onEvent` until the stream ends.
 * Resolves after the last event (or when `signal` aborts); rejects with an ApiError when the
 * stream cannot be followed.
 */
export async function followDocument(
  client: ApiClient,
  baseId: string,
  documentId: string,
  onEvent: (frame: SseFrame) => void,
  options: FollowDocumentOptions = {},
): Promise<void> {
  const outer = options.signal;
  if (outer?.aborted) return;
  const backoff = options.backoffMs ?? defaultBackoff;
  const maxAttempts = options.maxAttempts ?? 6;
  const path = documentEventsPath(baseId, documentId);
  const closer = new AbortController();
  const onOuterAbort = () => closer.abort();
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  let finished = false;
  let attempt = 0;

  const connect = (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // The library keeps the last frame's id in this header for the next connection.
    const lastEventId = (init?.headers as Record<string, string> | undefined)?.["last-event-id"];
    const headers: Record<string, string> = lastEventId ? { "Last-Event-ID": lastEventId } : {};
    return client.stream(path, { headers, signal: init?.signal ?? undefined });
  };

  try {
    await fetchEventSource(path, {
      fetch: connect,
      signal: closer.signal,
      openWhenHidden: true,
      onopen: async () => {},
      onmessage: (message: EventSourceMessage) => {
        // A keep-alive comment arrives as an empty message.
        if (finished || (message.data === "" && message.event === "")) return;
        attempt = 0;
        onEvent({ id: message.id, event: message.event, data: message.data });
        if (endsIngestionStream(message)) {
          finished = true;
          closer.abort();
        }
      },
      onclose: () => {
        if (finished) return;
        throw new ApiError({ status: 0, title: "Stream ended", detail: "The ingestion's events stopped early." });
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
