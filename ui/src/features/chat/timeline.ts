/**
 * A run's control and review events as timeline entries for the chat (paused, stopped,
 * waiting for a reviewer…). Entries hold data, not sentences: `RunNotices` words them in
 * the reader's language.
 */

import type { RunEvent } from "../../sse/runEvents";

export type TimelineEntry =
  | { kind: "paused" }
  | { kind: "resumed" }
  | { kind: "stopped" }
  | { kind: "waiting"; node: string; instruction: string | null }
  | { kind: "answered"; node: string }
  | { kind: "escalated"; node: string; assignedTo: string | null; priority: number | null }
  | { kind: "deadline"; node: string; defaultUsed: boolean };

export type Timeline = readonly TimelineEntry[];

export const EMPTY_TIMELINE: Timeline = [];

/** Fold one run event into the timeline. */
export function timelineReducer(timeline: Timeline, event: RunEvent): Timeline {
  switch (event.type) {
    case "paused":
      return [...timeline, { kind: "paused" }];
    case "resumed":
      return [...timeline, { kind: "resumed" }];
    case "cancelled":
      return [...timeline, { kind: "stopped" }];
    case "done":
      // A stream joined after the `cancelled` event still says the run was stopped.
      return event.status === "cancelled" && !timeline.some((e) => e.kind === "stopped")
        ? [...timeline, { kind: "stopped" }]
        : timeline;
    case "waiting_for_human":
      return [...timeline, { kind: "waiting", node: event.node, instruction: event.instruction }];
    case "human_input_received":
      return [...timeline, { kind: "answered", node: event.node }];
    case "escalated":
      return [
        ...timeline,
        { kind: "escalated", node: event.node, assignedTo: event.assignedTo, priority: event.priority },
      ];
    case "deadline_passed":
      return [...timeline, { kind: "deadline", node: event.node, defaultUsed: event.policy === "default_branch" }];
    default:
      return timeline;
  }
}
