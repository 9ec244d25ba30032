/** Read one SSE response body to its end (or to the run's `done`), decoding frames as they come. */

import { SseParser } from "./parser";
import { decodeFrame, type DecodedEvent } from "./runEvents";

export interface ConsumeResult {
  /** The run's `done` frame arrived. */
  sawDone: boolean;
  /** Frames received on this connection. */
  frames: number;
  /** Why the stream ended early (a network error), if it did. */
  error: unknown;
}

/** Consume `body`, calling `onEvent` per frame; stops after `done`. Abort is re-thrown. */
export async function consumeEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: DecodedEvent) => void,
  signal?: AbortSignal,
): Promise<ConsumeResult> {
  const parser = new SseParser();
  const reader = body.getReader();
  let frames = 0;
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal?.aborted) throw signal.reason ?? error;
        return { sawDone: false, frames, error };
      }
      const batch = chunk.done ? parser.end() : parser.pushBytes(chunk.value);
      for (const frame of batch) {
        const decoded = decodeFrame(frame);
        frames += 1;
        onEvent(decoded);
        if (decoded.event.type === "done") {
          await reader.cancel().catch(() => undefined);
          return { sawDone: true, frames, error: null };
        }
      }
      if (signal?.aborted) throw signal.reason ?? new DOMException("aborted", "AbortError");
      if (chunk.done) return { sawDone: false, frames, error: null };
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    reader.releaseLock?.();
  }
}
