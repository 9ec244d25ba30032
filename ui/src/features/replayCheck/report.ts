/**
 * A replay check as the page shows it: the verdict counts, the report merged with the live
 * progress events, and the problems the server answers in English turned into known cases the
 * page words in the person's language. Pure.
 */

import { ApiError, toApiError } from "../../api/problem";
import type { SseFrame } from "../../sse/runEvents";
import type { ConversationVerdict, ReplayCheck, Verdict } from "./api";

/** The verdicts, in the order the summary lists them (what needs a look first). */
export const VERDICTS: readonly Verdict[] = ["different_path", "different_answer", "same"];

export interface VerdictCounts {
  conversations: number;
  same: number;
  different_answer: number;
  different_path: number;
}

const count = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

/** The counts from the check's summary when it has one, else counted from its report (a running check). */
export function verdictCounts(check: Pick<ReplayCheck, "summary" | "report">): VerdictCounts {
  const summary = check.summary ?? {};
  const counted = (verdict: Verdict) => check.report.filter((e) => e.verdict === verdict).length;
  const of = (verdict: Verdict) => count(summary[verdict]) ?? counted(verdict);
  return {
    conversations: count(summary.conversations) ?? check.report.length,
    same: of("same"),
    different_answer: of("different_answer"),
    different_path: of("different_path"),
  };
}

/** The verdicts that occur, with their counts, in `VERDICTS` order (none left out that is non-zero). */
export function summaryParts(counts: VerdictCounts): { verdict: Verdict; count: number }[] {
  return VERDICTS.map((verdict) => ({ verdict, count: counts[verdict] })).filter((part) => part.count > 0);
}

/** Where a running check stands from its events. */
export interface ReplayProgress {
  done: number;
  total: number | null;
  /** The conversations reported so far, by index. */
  entries: ConversationVerdict[];
  /** Set once `done` arrived: the check's final status. */
  finished: string | null;
}

export const NO_PROGRESS: ReplayProgress = { done: 0, total: null, entries: [], finished: null };

function parse(data: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function isVerdictEntry(value: unknown): value is ConversationVerdict {
  if (!value || typeof value !== "object") return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.index === "number" && typeof entry.verdict === "string" && Array.isArray(entry.path);
}

/** One event of the check's stream applied to its progress (unknown events change nothing). */
export function applyReplayEvent(progress: ReplayProgress, frame: SseFrame): ReplayProgress {
  const data = parse(frame.data);
  const name = frame.event && frame.event !== "message" ? frame.event : String(data.event ?? "");
  if (name === "replay_progress") {
    const entry = isVerdictEntry(data.conversation) ? data.conversation : null;
    const others = entry ? progress.entries.filter((e) => e.index !== entry.index) : progress.entries;
    const entries = entry ? [...others, entry].sort((a, b) => a.index - b.index) : progress.entries;
    return {
      ...progress,
      done: Math.max(progress.done, count(data.done) ?? entries.length),
      total: count(data.total) ?? progress.total,
      entries,
    };
  }
  if (name === "done") return { ...progress, finished: typeof data.status === "string" ? data.status : "completed" };
  return progress;
}

/** The report to show: the server's, with the conversations streamed since it was read added. */
export function mergedReport(check: ReplayCheck, progress: ReplayProgress): ConversationVerdict[] {
  const byIndex = new Map(check.report.map((e) => [e.index, e]));
  for (const entry of progress.entries) byIndex.set(entry.index, entry);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** The problems the server is known to answer about replay checks, by what its detail says. */
export type ReplayProblem = "notCheckable" | "nothingPublished" | "noConversations" | "checkRequired";

const KNOWN: readonly [ReplayProblem, RegExp][] = [
  ["notCheckable", /only draft or submitted versions/i],
  ["nothingPublished", /no published version/i],
  ["noConversations", /no completed conversations/i],
  ["checkRequired", /requires a finished replay check/i],
];

/** Which known replay check conflict (409) an error is; null for any other error. */
export function replayProblem(error: unknown): ReplayProblem | null {
  if (!error) return null;
  const problem: ApiError = toApiError(error);
  if (problem.status !== 409) return null;
  return KNOWN.find(([, pattern]) => pattern.test(problem.detail))?.[0] ?? null;
}
