/**
 * The replay check's pure pieces: the answers' unified diff split into marked lines, the verdict
 * counts and their order, progress folded from the check's events, the server's known conflicts
 * recognised, and both paths of a conversation laid over the version's graph.
 */

import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api/problem";
import type { ConversationVerdict, ReplayCheck } from "../src/features/replayCheck/api";
import { classifyDiffLine, diffLines } from "../src/features/replayCheck/answerDiff";
import { drawPaths, samePath } from "../src/features/replayCheck/pathMarks";
import {
  applyReplayEvent,
  mergedReport,
  NO_PROGRESS,
  replayProblem,
  summaryParts,
  verdictCounts,
} from "../src/features/replayCheck/report";
import { edge, graph, node } from "./helpers/agentGraphs";

const entry = (index: number, verdict: ConversationVerdict["verdict"], extra: Partial<ConversationVerdict> = {}) =>
  ({
    index,
    verdict,
    recorded_execution_id: `r${index}`,
    execution_id: `e${index}`,
    status: "completed",
    error: null,
    recorded_path: ["classify", "billing"],
    path: ["classify", "billing"],
    recorded_answer: "a",
    answer: "a",
    answer_diff: "",
    ...extra,
  }) satisfies ConversationVerdict;

const check = (fields: Partial<ReplayCheck> = {}): ReplayCheck => ({
  id: "c1",
  agent_id: "a1",
  agent_version_id: "v2",
  baseline_version_id: "v1",
  status: "running",
  options: { conversations: 20, unmatched: "live" },
  report: [],
  summary: {},
  created_at: "2030-01-01T00:00:00Z",
  finished_at: null,
  ...fields,
});

describe("the answers' diff", () => {
  // What Python's difflib.unified_diff writes for a changed second line.
  const DIFF = "--- recorded\n+++ candidate\n@@ -1,2 +1,2 @@\n Hello\n-billing desk\n+general desk\n";

  it("marks file headers, hunks, removed, added and unchanged lines", () => {
    expect(diffLines(DIFF)).toEqual([
      { kind: "file", text: "--- recorded" },
      { kind: "file", text: "+++ candidate" },
      { kind: "hunk", text: "@@ -1,2 +1,2 @@" },
      { kind: "context", text: "Hello" },
      { kind: "removed", text: "billing desk" },
      { kind: "added", text: "general desk" },
    ]);
  });

  it("reads a removed line starting with dashes inside a hunk as removed, not as a header", () => {
    expect(classifyDiffLine("--- a dashed line", true)).toEqual({ kind: "removed", text: "-- a dashed line" });
    expect(classifyDiffLine("+++ added plus", true)).toEqual({ kind: "added", text: "++ added plus" });
  });

  it("has no lines when the answers are the same", () => {
    expect(diffLines("")).toEqual([]);
  });
});

describe("the verdict counts", () => {
  it("takes a finished check's summary, listing what needs a look first and leaving out zeros", () => {
    const counts = verdictCounts(check({ summary: { conversations: 3, same: 2, different_path: 1 }, report: [] }));
    expect(counts).toEqual({ conversations: 3, same: 2, different_answer: 0, different_path: 1 });
    expect(summaryParts(counts)).toEqual([
      { verdict: "different_path", count: 1 },
      { verdict: "same", count: 2 },
    ]);
  });

  it("counts a running check's report", () => {
    const counts = verdictCounts(check({ report: [entry(0, "same"), entry(1, "different_answer")] }));
    expect(counts).toEqual({ conversations: 2, same: 1, different_answer: 1, different_path: 0 });
  });
});

describe("the progress events", () => {
  const progress = (index: number, done: number, total: number, verdict: ConversationVerdict["verdict"]) => ({
    id: String(index),
    event: "replay_progress",
    data: JSON.stringify({ done, total, conversation: entry(index, verdict) }),
  });

  it("counts the conversations done of the total and keeps each one's verdict in order", () => {
    let state = applyReplayEvent(NO_PROGRESS, progress(1, 1, 3, "different_path"));
    state = applyReplayEvent(state, progress(0, 2, 3, "same"));
    expect(state.done).toBe(2);
    expect(state.total).toBe(3);
    expect(state.entries.map((e) => [e.index, e.verdict])).toEqual([
      [0, "same"],
      [1, "different_path"],
    ]);
    expect(state.finished).toBeNull();
    const done = applyReplayEvent(state, { id: "9", event: "done", data: '{"status":"completed","summary":{}}' });
    expect(done.finished).toBe("completed");
  });

  it("ignores unknown events and unreadable data", () => {
    expect(applyReplayEvent(NO_PROGRESS, { id: "1", event: "heartbeat", data: "{}" })).toBe(NO_PROGRESS);
    expect(applyReplayEvent(NO_PROGRESS, { id: "1", event: "replay_progress", data: "not json" }).entries).toEqual([]);
  });

  it("adds the streamed conversations to the report read before them", () => {
    const state = applyReplayEvent(NO_PROGRESS, progress(1, 2, 2, "different_answer"));
    const merged = mergedReport(check({ report: [entry(0, "same")] }), state);
    expect(merged.map((e) => e.verdict)).toEqual(["same", "different_answer"]);
  });
});

describe("the server's known conflicts", () => {
  const conflict = (detail: string) => new ApiError({ status: 409, title: "Conflict", detail });

  it("recognises each by its detail, and nothing else", () => {
    expect(replayProblem(conflict("the agent has no published version whose conversations could be replayed"))).toBe(
      "nothingPublished",
    );
    expect(replayProblem(conflict("the published version has no completed conversations to replay"))).toBe(
      "noConversations",
    );
    expect(replayProblem(conflict("only draft or submitted versions are checked; this one is published"))).toBe(
      "notCheckable",
    );
    expect(
      replayProblem(conflict("this tenant requires a finished replay check of the version before it is approved")),
    ).toBe("checkRequired");
    expect(replayProblem(conflict("something else"))).toBeNull();
    expect(replayProblem(new ApiError({ status: 404, title: "x", detail: "no published version" }))).toBeNull();
    expect(replayProblem(null)).toBeNull();
  });
});

describe("both paths on the graph", () => {
  const triage = graph(
    [node("classify"), node("router", "router"), node("billing"), node("general")],
    [
      edge(0, "__start__", "classify"),
      edge(1, "classify", "router"),
      edge(2, "router", "billing", { kind: "conditional" }),
      edge(2, "router", "general", { kind: "conditional" }),
      edge(3, "billing", "__end__"),
      edge(4, "general", "__end__"),
    ],
  );

  it("marks what both runs passed, what only this version did, and what only the recorded run did", () => {
    const drawing = drawPaths(triage, ["classify", "router", "billing"], ["classify", "router", "general"]);
    expect(Object.fromEntries(drawing.nodes)).toEqual({
      __start__: "both",
      classify: "both",
      router: "both",
      billing: "recorded",
      general: "candidate",
      __end__: "both",
    });
    expect(drawing.edges.get("1:classify->router")).toBe("both");
    expect(drawing.edges.get("2:router->billing")).toBe("recorded");
    expect(drawing.edges.get("2:router->general")).toBe("candidate");
    expect(drawing.edges.get("4:general->__end__")).toBe("candidate");
    expect(drawing.missing).toEqual([]);
  });

  it("lists recorded nodes this version no longer has, and leaves untouched nodes unmarked", () => {
    const drawing = drawPaths(triage, ["classify", "legacy"], ["classify", "router", "billing"]);
    expect(drawing.missing).toEqual(["legacy"]);
    expect(drawing.nodes.get("general")).toBe("none");
    expect(drawing.edges.get("4:general->__end__")).toBe("none");
  });

  it("tells equal paths apart from different ones", () => {
    expect(samePath(["a", "b"], ["a", "b"])).toBe(true);
    expect(samePath(["a", "b"], ["a"])).toBe(false);
    expect(samePath(["a", "b"], ["b", "a"])).toBe(false);
  });
});
