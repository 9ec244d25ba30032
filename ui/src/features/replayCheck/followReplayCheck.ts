/** Follow one replay check's events (SSE) until `done` (see `followStream`). */

import type { EventSourceMessage } from "@microsoft/fetch-event-source";
import type { ApiClient } from "../../api/client";
import { followStream, type FollowOptions } from "../../sse/followStream";
import type { SseFrame } from "../../sse/runEvents";
import { replayPaths, type ReplayArea } from "./api";

export type FollowCheckOptions = FollowOptions;

/** `done` ends the check; an `error` frame without an id is the server ending the stream itself. */
const endsStream = (message: EventSourceMessage) =>
  message.event === "done" || (message.event === "error" && !message.id);

/**
 * Deliver each event of the check to `onEvent` until the stream ends. Resolves after the last
 * event (or when `signal` aborts); rejects with an ApiError when the stream cannot be followed.
 */
export function followReplayCheck(
  client: ApiClient,
  area: ReplayArea,
  checkId: string,
  onEvent: (frame: SseFrame) => void,
  options: FollowCheckOptions = {},
): Promise<void> {
  const spec = {
    path: replayPaths.events(area, checkId),
    ends: endsStream,
    what: "The replay check's events",
  };
  return followStream(client, spec, onEvent, options);
}
