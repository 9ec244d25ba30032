/** Follow one document's ingestion events (SSE) until `done` (see `followStream`). */

import type { ApiClient } from "../../api/client";
import { followStream, type FollowOptions } from "../../sse/followStream";
import type { SseFrame } from "../../sse/runEvents";
import { documentEventsPath } from "./api";
import { endsIngestionStream } from "./ingestion";

export type FollowDocumentOptions = FollowOptions;

/**
 * Deliver each event of the document's latest ingestion to `onEvent` until the stream ends.
 * Resolves after the last event (or when `signal` aborts); rejects with an ApiError when the
 * stream cannot be followed.
 */
export function followDocument(
  client: ApiClient,
  baseId: string,
  documentId: string,
  onEvent: (frame: SseFrame) => void,
  options: FollowDocumentOptions = {},
): Promise<void> {
  const spec = {
    path: documentEventsPath(baseId, documentId),
    ends: endsIngestionStream,
    what: "The ingestion's events",
  };
  return followStream(client, spec, onEvent, options);
}
