/** The shape of the chat store's state and small pure helpers over it. */

import type { ApiError } from "../../api/problem";
import { ACTIVE_RUN_STATUSES, RETRYABLE_RUN_STATUSES, type ExecutionDetail } from "../../api/executions";
import type { AgentSummary, ChatMessage, ChatStatus, ChatSummary } from "../../api/types";
import { INITIAL_RUN_VIEW, isLivePhase, runReducer, type RunView } from "../../run/runView";
import type { DecodedEvent } from "../../sse/runEvents";
import { SILENCE, speechReducer, type Speech } from "../../run/speech";
import { EMPTY_TIMELINE, timelineReducer, type Timeline } from "./timeline";

export type LoadStatus = "idle" | "loading" | "ready" | "error";

export interface Loadable<T> {
  status: LoadStatus;
  data: T;
  error: ApiError | null;
}

/** How a live run came about: a message sent here, a run found going, or a retry. */
export type RunOrigin = "send" | "attach" | "retry";

export interface LiveRun {
  origin: RunOrigin;
  executionId: string | null;
  /** The text the user sent (null when re-attaching or retrying). */
  userText: string | null;
  /** The run as the graph and the controls see it (phase, waiting task, errors, `done`). */
  view: RunView;
  /** What the agent says to the user (never its nodes' internal output). */
  speech: Speech;
  /** Control and review events, for the chat's timeline. */
  timeline: Timeline;
  /** A request or stream is in progress. */
  active: boolean;
  /** Re-attaching after a dropped connection. */
  reconnecting: boolean;
  /** The run could not be started or followed. */
  problem: ApiError | null;
  /** History was reloaded after `done` and holds the answer: hide the live bubbles. */
  settled: boolean;
}

export interface ChatEntry {
  /** The chat id, or a draft key until the server assigns one. */
  key: string;
  chatId: string | null;
  agentId: string | null;
  /** The agent's name when known from the picker (it may not be in the loaded agent list). */
  agentName: string | null;
  /** The chat as last seen in the list or in its history (list-only fields may be missing). */
  chat: ChatSummary | null;
  history: Loadable<ChatMessage[]>;
  run: LiveRun | null;
  /** Recorded runs (node executions, durations) by execution id, loaded on demand. */
  records: Readonly<Record<string, Loadable<ExecutionDetail | null>>>;
  /** The run the graph panel shows; null: the live run. */
  shownExecutionId: string | null;
  /** The chat's newest run, when known (from the server, or started here). */
  latestExecutionId: string | null;
}

export interface ChatFilter {
  q: string;
  status: ChatStatus;
}

export interface ChatStoreState {
  entries: Readonly<Record<string, ChatEntry>>;
  /** Draft keys that became real chats: the view showing a draft follows it. */
  aliases: Readonly<Record<string, string>>;
  chats: Loadable<ChatSummary[]>;
  chatFilter: ChatFilter;
  agents: Loadable<AgentSummary[]>;
}

export const DRAFT_PREFIX = "draft-";

export function emptyLoadable<T>(data: T): Loadable<T> {
  return { status: "idle", data, error: null };
}

export const INITIAL_STATE: ChatStoreState = {
  entries: {},
  aliases: {},
  chats: emptyLoadable([]),
  chatFilter: { q: "", status: "active" },
  agents: emptyLoadable([]),
};

export function newEntry(
  key: string,
  chatId: string | null,
  agentId: string | null,
  agentName: string | null = null,
): ChatEntry {
  return {
    key,
    chatId,
    agentId,
    agentName,
    chat: null,
    history: emptyLoadable([]),
    run: null,
    records: {},
    shownExecutionId: null,
    latestExecutionId: null,
  };
}

/** A live run that has just been asked for (or found going), before any event. */
export function newLiveRun(origin: RunOrigin, executionId: string | null, userText: string | null): LiveRun {
  return {
    origin,
    executionId,
    userText,
    view: INITIAL_RUN_VIEW,
    speech: SILENCE,
    timeline: EMPTY_TIMELINE,
    active: true,
    reconnecting: false,
    problem: null,
    settled: false,
  };
}

/** Fold one event into the live run; an event at or below the last applied offset is a replay. */
export function applyRunEvent(run: LiveRun, decoded: DecodedEvent): LiveRun {
  const last = run.view.lastOffset;
  if (decoded.offset !== null && last !== null && decoded.offset <= last) return run;
  return {
    ...run,
    view: runReducer(run.view, decoded),
    speech: speechReducer(run.speech, decoded.event),
    timeline: timelineReducer(run.timeline, decoded.event),
  };
}

/** An agent's display name: the chat's own, the loaded list's, else the name remembered on the entry. */
export function agentNameFor(
  agents: readonly AgentSummary[],
  agentId: string | null,
  fallback: string | null = null,
  chat: ChatSummary | null = null,
): string | null {
  if (chat?.agent_name) return chat.agent_name;
  if (!agentId) return fallback;
  return agents.find((a) => a.id === agentId)?.name ?? fallback;
}

/**
 * The execution a run may still be going in when a chat is opened: its last message is
 * the user's, carries an execution id, and no answer follows.
 */
export function pendingExecution(messages: readonly ChatMessage[]): string | null {
  const last = messages[messages.length - 1];
  if (!last || last.role !== "user" || !last.workflow_execution_id) return null;
  return last.workflow_execution_id;
}

/** The chat's latest run: the last message that names one. */
export function latestExecution(messages: readonly ChatMessage[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const id = messages[i]!.workflow_execution_id;
    if (id) return id;
  }
  return null;
}

/** Whether `messages` already hold the run's stored answer. */
export function historyHoldsAnswer(messages: readonly ChatMessage[], run: LiveRun): boolean {
  const done = run.view.done;
  if (!done) return false;
  if (done.messageId) return messages.some((m) => m.id === done.messageId);
  return messages.some((m) => m.role === "assistant" && m.workflow_execution_id === run.executionId);
}

export function isActiveRunStatus(status: string | null | undefined): boolean {
  return Boolean(status && ACTIVE_RUN_STATUSES.includes(status));
}

/** The sidebar's run badge: running, paused, or waiting for a reviewer. */
export type RunBadge = "running" | "paused" | "waiting";

/** The sidebar's run badge: from the run followed here, else from the list's active run status. */
export function runBadge(summary: Pick<ChatSummary, "active_run_status"> | null, run: LiveRun | null): RunBadge | null {
  if (run?.active) {
    if (run.view.phase === "paused") return "paused";
    if (run.view.phase === "waiting") return "waiting";
    if (isLivePhase(run.view.phase)) return "running";
    return null; // stopped or ended, only the stream has not closed yet
  }
  // A run followed here that has just ended is newer than the list.
  if (run && !run.active && run.view.done) return null;
  switch (summary?.active_run_status) {
    case "pending":
    case "running":
      return "running";
    case "paused":
      return "paused";
    case "interrupted":
      return "waiting";
    default:
      return null;
  }
}

/** The newer version to move to, when the agent's current version is not the chat's. */
export function upgradeTarget(
  chat: Pick<ChatSummary, "agent_id" | "agent_version_id"> | null,
  agents: readonly AgentSummary[],
): { id: string; version: string } | null {
  if (!chat) return null;
  const current = agents.find((a) => a.id === chat.agent_id)?.current_version;
  return current && current.id !== chat.agent_version_id ? current : null;
}

/** What the graph panel shows: the live run, a recorded run, or nothing yet. */
export type ShownRun =
  | { kind: "live"; run: LiveRun }
  | { kind: "record"; executionId: string; record: Loadable<ExecutionDetail | null> }
  | { kind: "none" };

export function shownRun(entry: ChatEntry): ShownRun {
  const { run, shownExecutionId: shown } = entry;
  const record = shown ? entry.records[shown] : undefined;
  if (run && (shown === null || shown === run.executionId)) {
    // The record of a finished run has durations and tokens; the live graph has none.
    if (run.active || !record || record.status !== "ready" || !record.data) return { kind: "live", run };
  }
  if (shown && record) return { kind: "record", executionId: shown, record };
  return run ? { kind: "live", run } : { kind: "none" };
}

/** The chat's newest run when it failed or was stopped (and nothing runs now): offer to retry it. */
export function retryableExecution(entry: ChatEntry): string | null {
  const run = entry.run;
  if (run?.active) return null;
  const latest = entry.latestExecutionId ?? run?.executionId ?? null;
  if (!latest) return null;
  const status =
    run && run.executionId === latest && run.view.done ? run.view.done.status : entry.records[latest]?.data?.status;
  return status && RETRYABLE_RUN_STATUSES.includes(status) ? latest : null;
}

/** Whether the run can be paused, resumed or stopped from here. */
export function controllableRun(run: LiveRun | null): run is LiveRun & { executionId: string } {
  return Boolean(run && run.active && run.executionId && isLivePhase(run.view.phase));
}
