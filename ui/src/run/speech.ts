/**
 * What the agent says to the user while a run goes on, folded from the run's events.
 *
 * Every `llm` node streams its reply as `message` deltas. A node whose reply only fills an
 * output key (the approval template's `propose` writes `{"summary", "arguments"}` into the
 * run's state) marks its deltas `audience: "internal"`: those never reach the bubble. Of the
 * rest, the bubble keeps a node's words only while they can still be the answer: once another
 * node starts after it finished, its text was a step of the run (the graph shows it) and
 * leaves the bubble. The final answer comes with `done` and replaces whatever was streamed.
 * Shared by the chat and the builder's sandbox.
 */

import type { DoneEvent } from "./runView";
import type { RunEvent } from "../sse/runEvents";

/** One node's streamed words (null node: a message not tied to a node). */
export interface Utterance {
  node: string | null;
  text: string;
  /** The node has completed or failed: a node started after it supersedes these words. */
  finished: boolean;
}

export type Speech = readonly Utterance[];

export const SILENCE: Speech = [];

function append(speech: Speech, node: string | null, text: string): Speech {
  const index = speech.findIndex((u) => u.node === node && !u.finished);
  if (index === -1) return [...speech, { node, text, finished: false }];
  const next = speech.slice();
  next[index] = { ...speech[index]!, text: speech[index]!.text + text };
  return next;
}

function finish(speech: Speech, node: string): Speech {
  return speech.some((u) => u.node === node && !u.finished)
    ? speech.map((u) => (u.node === node ? { ...u, finished: true } : u))
    : speech;
}

/** Fold one run event into what the agent is saying. */
export function speechReducer(speech: Speech, event: RunEvent): Speech {
  switch (event.type) {
    case "message":
      // A step's internal output never reaches the bubble; the graph shows it on its node.
      return event.content && !event.internal ? append(speech, event.node, event.content) : speech;
    case "reset":
      // A retried attempt's words are void.
      return speech.some((u) => u.node === event.node) ? speech.filter((u) => u.node !== event.node) : speech;
    case "node_completed":
    case "node_failed":
      return finish(speech, event.node);
    case "node_started":
      // The run moved on: what finished nodes said was one of its steps, not the answer.
      return speech.some((u) => u.finished) ? speech.filter((u) => !u.finished) : speech;
    default:
      return speech;
  }
}

/** The text for the agent's bubble: the final answer once done, else what the agent is saying. */
export function spokenText(speech: Speech, done: DoneEvent | null): string {
  const answer = done?.answer;
  if (answer && answer.trim()) return answer;
  return speech
    .map((u) => u.text)
    .filter((text) => text.trim().length > 0)
    .join("\n\n");
}
