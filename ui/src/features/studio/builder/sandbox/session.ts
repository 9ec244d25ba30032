/**
 * A sandbox conversation, folded from what the developer sends and the events of each run it
 * starts: one turn per message, each with the run's state (`run/runView.ts`, which the canvas
 * paints) and what the agent says (`run/speech.ts`, which the panel shows as Markdown).
 */

import type { ApiError } from "../../../../api/problem";
import { INITIAL_RUN_VIEW, runReducer, type RunView } from "../../../../run/runView";
import { SILENCE, speechReducer, spokenText, type Speech } from "../../../../run/speech";
import type { DecodedEvent } from "../../../../sse/runEvents";

export interface SandboxTurn {
  /** What the developer sent. */
  said: string;
  executionId: string | null;
  view: RunView;
  speech: Speech;
  /** The request or its stream is still open. */
  active: boolean;
  /** The run could not be started or followed. */
  problem: ApiError | null;
}

export interface SandboxSession {
  turns: readonly SandboxTurn[];
}

export const EMPTY_SESSION: SandboxSession = { turns: [] };

export type SessionAction =
  | { type: "sent"; said: string }
  | { type: "started"; executionId: string }
  | { type: "event"; event: DecodedEvent }
  | { type: "ended" }
  | { type: "failed"; problem: ApiError };

function patchLatest(session: SandboxSession, patch: (turn: SandboxTurn) => SandboxTurn): SandboxSession {
  const last = session.turns.at(-1);
  if (!last) return session;
  const next = patch(last);
  return next === last ? session : { turns: [...session.turns.slice(0, -1), next] };
}

/** Apply one action; everything but `sent` is about the latest turn. */
export function sessionReducer(session: SandboxSession, action: SessionAction): SandboxSession {
  switch (action.type) {
    case "sent":
      return {
        turns: [
          ...session.turns,
          {
            said: action.said,
            executionId: null,
            view: INITIAL_RUN_VIEW,
            speech: SILENCE,
            active: true,
            problem: null,
          },
        ],
      };
    case "started":
      return patchLatest(session, (turn) => ({ ...turn, executionId: action.executionId }));
    case "event":
      return patchLatest(session, (turn) => {
        const view = runReducer(turn.view, action.event);
        if (view === turn.view) return turn;
        return { ...turn, view, speech: speechReducer(turn.speech, action.event.event) };
      });
    case "ended":
      return patchLatest(session, (turn) => (turn.active ? { ...turn, active: false } : turn));
    case "failed":
      return patchLatest(session, (turn) => ({ ...turn, active: false, problem: action.problem }));
  }
}

/** The latest turn, whose run the canvas shows. */
export function latestTurn(session: SandboxSession): SandboxTurn | null {
  return session.turns.at(-1) ?? null;
}

/** Whether a message can be sent now (one run at a time). */
export function canSend(session: SandboxSession): boolean {
  return !latestTurn(session)?.active;
}

/** The agent's words for a turn: the final answer once done, else what it is saying. */
export function answerOf(turn: SandboxTurn): string {
  return spokenText(turn.speech, turn.view.done);
}

/** How a turn's run stands, for its bubble: still going, finished, or failed (run failed, or not followed). */
export function turnOutcome(turn: SandboxTurn): "going" | "waiting" | "completed" | "failed" | "cancelled" {
  if (turn.problem) return "failed";
  const phase = turn.view.phase;
  if (phase === "completed" || phase === "failed" || phase === "cancelled") return phase;
  if (!turn.active) return turn.view.done ? "completed" : "failed";
  return phase === "waiting" ? "waiting" : "going";
}
