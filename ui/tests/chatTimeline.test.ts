/** A run's control and review events: the chat's timeline entries and the lines a person reads. */

import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { applyRunEvent, newLiveRun, type LiveRun } from "../src/features/chat/chatState";
import { RunNotices } from "../src/features/chat/RunNotices";
import { EMPTY_TIMELINE, timelineReducer, type Timeline } from "../src/features/chat/timeline";
import type { RunEvent } from "../src/sse/runEvents";

const fold = (events: RunEvent[]): Timeline => events.reduce(timelineReducer, EMPTY_TIMELINE);
const follow = (events: RunEvent[]): LiveRun =>
  events.reduce((run, event, offset) => applyRunEvent(run, { offset, event }), newLiveRun("send", "e1", "hi"));

const waiting = (instruction: string | null = "Approve?"): RunEvent => ({
  type: "waiting_for_human",
  node: "approve",
  step: 2,
  taskId: "t1",
  instruction,
  priority: 6,
  dueAt: null,
});
const escalated = (assignedTo: string | null, priority: number | null): RunEvent => ({
  type: "escalated",
  node: "approve",
  taskId: "t1",
  priority,
  assignedTo,
});

/** The timeline's lines as a person reads them (English in unit tests). */
function lines(events: RunEvent[]): string[] {
  // Nobody is signed in: the waiting card shows no reviewer link.
  const session = { getState: () => ({ status: "checking" }), subscribe: () => () => undefined };
  const services = { session } as unknown as Services;
  const html = renderToStaticMarkup(
    createElement(
      ServicesContext.Provider,
      { value: services },
      createElement(MemoryRouter, null, createElement(RunNotices, { run: follow(events) })),
    ),
  );
  return [...html.matchAll(/<li class="run-notice[^"]*">(.*?)<\/li>/g)].map((m) => m[1]!);
}

describe("timelineReducer", () => {
  it("notes a pause and a resume, and nothing for the run's own work", () => {
    const timeline = fold([
      { type: "node_started", node: "a", step: 1, taskId: null },
      { type: "paused" },
      { type: "message", content: "late token", node: "a" },
      { type: "node_completed", node: "a", step: 1, taskId: null },
      { type: "resumed" },
    ]);
    expect(timeline).toEqual([{ kind: "paused" }, { kind: "resumed" }]);
  });

  it("follows a review: waiting, escalated, answered or past its deadline", () => {
    expect(
      fold([
        waiting(),
        escalated("ops", 9),
        { type: "human_input_received", node: "approve", taskId: "t1" },
        { type: "deadline_passed", node: "approve", taskId: "t1", policy: "default_branch" },
        { type: "deadline_passed", node: "approve", taskId: "t1", policy: "fail" },
      ]),
    ).toEqual([
      { kind: "waiting", node: "approve", instruction: "Approve?" },
      { kind: "escalated", node: "approve", assignedTo: "ops", priority: 9 },
      { kind: "answered", node: "approve" },
      { kind: "deadline", node: "approve", defaultUsed: true },
      { kind: "deadline", node: "approve", defaultUsed: false },
    ]);
  });
});

describe("the run's notices", () => {
  it("say when the run was paused and resumed", () => {
    expect(lines([{ type: "paused" }, { type: "resumed" }])).toEqual(["Paused", "Resumed"]);
  });

  it("say who the run waits for, with the reviewer's instruction when there is one", () => {
    expect(lines([waiting()])).toEqual(["Waiting for a reviewer at “approve”: Approve?"]);
    expect(lines([waiting(null)])).toEqual(["Waiting for a reviewer at “approve”"]);
    expect(lines([waiting(), { type: "human_input_received", node: "approve", taskId: "t1" }])).toEqual([
      "Waiting for a reviewer at “approve”: Approve?",
      "A reviewer answered at “approve”",
    ]);
  });

  it("say to whom and at what priority a review was escalated, with what is known", () => {
    expect(lines([escalated("ops", 9)])).toEqual(["The review at “approve” was escalated to ops (priority 9)"]);
    expect(lines([escalated("ops", null)])).toEqual(["The review at “approve” was escalated to ops"]);
    expect(lines([escalated(null, 9)])).toEqual(["The review at “approve” was escalated (priority 9)"]);
    expect(lines([escalated(null, null)])).toEqual(["The review at “approve” was escalated"]);
  });

  it("say what a passed deadline did to the run", () => {
    expect(lines([{ type: "deadline_passed", node: "approve", taskId: "t1", policy: "default_branch" }])).toEqual([
      "No answer at “approve” before the deadline: the default answer was used",
    ]);
    expect(lines([{ type: "deadline_passed", node: "approve", taskId: "t1", policy: "fail" }])).toEqual([
      "No answer at “approve” before the deadline: the run stops here",
    ]);
  });
});
