// @vitest-environment jsdom
/**
 * The replay check panel as a person meets it, rendered with React Flow in jsdom and a scripted
 * API: a finished check's summary and one row per conversation with its verdict, a row opened
 * to the answers' diff and both paths on the graph; a check started from the form whose progress
 * streams in; a known conflict said in plain words.
 */

import { QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createElement } from "react";
import { MemoryRouter } from "react-router";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ServicesContext } from "../src/app/context";
import type { ConversationVerdict, ReplayCheck } from "../src/features/replayCheck/api";
import { ReplayCheckPanel } from "../src/features/replayCheck/ReplayCheckPanel";
import { ReplayProblemNote } from "../src/features/replayCheck/ReplayProblemNote";
import { ApiError } from "../src/api/problem";
import { edge, graph, node } from "./helpers/agentGraphs";
import { stubCanvasDom } from "./helpers/canvasDom";
import { frame, json, problem, scriptedFetch, sseResponse, type Handler } from "./helpers/http";
import { signedInServices } from "./helpers/services";

beforeAll(stubCanvasDom);
afterEach(cleanup);

const TRIAGE = graph(
  [node("classify"), node("router", "router"), node("billing"), node("general")],
  [
    edge(0, "__start__", "classify"),
    edge(1, "classify", "router"),
    edge(2, "router", "billing", { kind: "conditional", outcomes: ["billing"] }),
    edge(2, "router", "general", { kind: "conditional", outcomes: ["general"] }),
    edge(3, "billing", "__end__"),
    edge(4, "general", "__end__"),
  ],
);

const entry = (index: number, verdict: ConversationVerdict["verdict"], extra: Partial<ConversationVerdict> = {}) =>
  ({
    index,
    verdict,
    recorded_execution_id: `r${index}`,
    execution_id: `e${index}`,
    status: "completed",
    error: null,
    recorded_path: ["classify", "router", "billing"],
    path: ["classify", "router", "billing"],
    recorded_answer: "billing desk",
    answer: "billing desk",
    answer_diff: "",
    ...extra,
  }) satisfies ConversationVerdict;

const SAME = entry(0, "same");
const MOVED = entry(1, "different_path", {
  path: ["classify", "router", "general"],
  answer: "general desk",
  answer_diff: "--- recorded\n+++ candidate\n@@ -1 +1 @@\n-billing desk\n+general desk\n",
});

const check = (fields: Partial<ReplayCheck>): ReplayCheck => ({
  id: "c1",
  agent_id: "a1",
  agent_version_id: "v2",
  baseline_version_id: "v1",
  status: "completed",
  options: { conversations: 20, unmatched: "live" },
  report: [SAME, MOVED],
  summary: { conversations: 2, same: 1, different_path: 1 },
  created_at: "2030-01-01T00:00:00Z",
  finished_at: "2030-01-01T00:01:00Z",
  ...fields,
});

const LIST = "GET /api/v1/developer/versions/v2/replay-checks";

function setup(routes: Record<string, Handler | Handler[]>) {
  const http = scriptedFetch(routes);
  const { services, queryClient } = signedInServices(http.fetch);
  render(
    createElement(
      ServicesContext.Provider,
      { value: services },
      createElement(
        QueryClientProvider,
        { client: queryClient },
        createElement(
          MemoryRouter,
          null,
          createElement(ReplayCheckPanel, { area: "developer", versionId: "v2", graph: TRIAGE }),
        ),
      ),
    ),
  );
  return http;
}

const canvasNode = (within: HTMLElement, name: string) =>
  within.querySelector<HTMLElement>(`.react-flow__node[data-id="${name}"]`);

describe("the replay check panel", () => {
  it("shows a finished check: the counts, a verdict per conversation, and a row opened to its diff and paths", async () => {
    setup({ [LIST]: () => json(200, [check({})]) });
    const summary = await screen.findByRole("group", { name: "Summary" });
    expect(summary.textContent).toContain("2 conversations replayed");
    expect(summary.querySelector('[data-summary="different_path"]')?.textContent).toBe("Different path 1");
    expect(summary.querySelector('[data-summary="same"]')?.textContent).toBe("Same 1");
    expect(summary.querySelector('[data-summary="different_answer"]')).toBeNull();

    const rows = screen.getAllByRole("listitem").filter((li) => li.classList.contains("replay-row"));
    expect(rows.map((row) => row.querySelector(".replay-verdict")?.textContent)).toEqual(["Same", "Different path"]);
    expect(screen.getByText(/20 conversations, unmatched calls: live/)).toBeTruthy();

    // Opening the first row: the answers agree and so do the paths.
    fireEvent.click(within(rows[0]!).getByRole("button", { name: "Show details" }));
    const first = screen.getByRole("region", { name: "Details of conversation 1" });
    expect(first.textContent).toContain("The answers are the same.");
    expect(first.textContent).toContain("Both runs took the same path.");

    // The second row: removed and added lines, both paths in words and on the graph.
    const toggle = within(rows[1]!).getByRole("button", { name: "Show details" });
    fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const second = screen.getByRole("region", { name: "Details of conversation 2" });
    const lines = [...second.querySelectorAll<HTMLElement>("[data-line]")].map((l) => [
      l.dataset.line,
      l.textContent?.replace(/\s+$/, ""),
    ]);
    expect(lines).toEqual([
      ["hunk", " @@ -1 +1 @@"],
      ["removed", "−Removed: billing desk"],
      ["added", "+Added: general desk"],
    ]);
    expect(second.querySelector('[data-path="recorded"]')?.textContent).toBe("classify → router → billing");
    expect(second.querySelector('[data-path="candidate"]')?.textContent).toBe("classify → router → general");
    await waitFor(() => expect(canvasNode(second, "general")).not.toBeNull());
    expect(canvasNode(second, "general")!.getAttribute("aria-label")).toBe("general, this version only");
    expect(canvasNode(second, "billing")!.getAttribute("aria-label")).toBe("billing, recorded run only");
    expect(canvasNode(second, "classify")!.querySelector("[data-path-mark]")?.getAttribute("data-path-mark")).toBe(
      "both",
    );
    expect(within(second).getByRole("list", { name: "What the marks mean" })).toBeTruthy();
  });

  it("starts a check with the chosen options and shows its progress as conversations are replayed", async () => {
    const running = check({
      status: "running",
      report: [],
      summary: {},
      options: { conversations: 2, unmatched: "refuse" },
    });
    const http = setup({
      [LIST]: [() => json(200, []), () => json(200, [check({ options: running.options })])],
      "POST /api/v1/developer/versions/v2/replay-checks": () => json(202, running),
      "GET /api/v1/developer/replay-checks/c1/events": () =>
        sseResponse([
          frame(1, "replay_progress", { done: 1, total: 2, conversation: MOVED }),
          frame(2, "replay_progress", { done: 2, total: 2, conversation: SAME }),
          frame(3, "done", { status: "completed", summary: { conversations: 2, same: 1, different_path: 1 } }),
        ]),
    });
    expect(await screen.findByText("No replay check of this version yet.")).toBeTruthy();
    fireEvent.change(screen.getByRole("spinbutton", { name: /Conversations/ }), { target: { value: "2" } });
    fireEvent.click(screen.getByRole("radio", { name: /Refuse it/ }));
    fireEvent.click(screen.getByRole("button", { name: "Start replay check" }));

    await waitFor(() => expect(http.calls.some((c) => c.method === "POST")).toBe(true));
    expect(http.calls.find((c) => c.method === "POST")?.body).toEqual({ conversations: 2, unmatched: "refuse" });
    // The stream's conversations appear, then the list is read again for the final report.
    const summary = await screen.findByRole("group", { name: "Summary" });
    await waitFor(() => expect(summary.textContent).toContain("2 conversations replayed"));
    await waitFor(() =>
      expect(http.calls.filter((c) => `${c.method} ${c.url.split("?")[0]}` === LIST)).toHaveLength(2),
    );
    expect(document.querySelector(".replay-latest")?.getAttribute("data-status")).toBe("completed");
    expect(http.unexpected).toEqual([]);
  });

  it("shows how many conversations of how many are done while a check runs", async () => {
    // One conversation reported, then the stream stays open: the check is still running.
    const open = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode(frame(1, "replay_progress", { done: 1, total: 2, conversation: MOVED })),
        );
      },
    });
    setup({
      [LIST]: () => json(200, [check({ status: "running", report: [], summary: {} })]),
      "GET /api/v1/developer/replay-checks/c1/events": () =>
        new Response(open, { status: 200, headers: { "Content-Type": "text/event-stream" } }),
    });
    const progress = await screen.findByText("1 of 2 conversations replayed");
    expect(progress.querySelector("progress")?.getAttribute("value")).toBe("1");
    expect(screen.getByRole("button", { name: "Start replay check" })).toHaveProperty("disabled", true);
    expect(document.querySelector(".replay-row .replay-verdict")?.textContent).toBe("Different path");
  });

  it("says in plain words why a check cannot start", async () => {
    setup({
      [LIST]: () => json(200, []),
      "POST /api/v1/developer/versions/v2/replay-checks": () =>
        problem(409, "the published version has no completed conversations to replay"),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Start replay check" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe(
      "The published version has no finished conversations to replay yet. Chat with it first.",
    );
  });
});

describe("an approval refused for want of a replay check", () => {
  it("explains what to do, and leaves other problems as the server said them", () => {
    const required = new ApiError({
      status: 409,
      title: "Conflict",
      detail: "this tenant requires a finished replay check of the version before it is approved",
    });
    const { rerender } = render(createElement(ReplayProblemNote, { error: required, context: "Could not decide" }));
    expect(screen.getByRole("alert").textContent).toContain("approves a new version only after a replay check");
    expect(screen.getByRole("link", { name: "Replay check" }).getAttribute("href")).toBe("#replay-check");
    rerender(
      createElement(ReplayProblemNote, {
        error: new ApiError({ status: 409, title: "Conflict", detail: "already decided" }),
        context: "Could not decide",
      }),
    );
    expect(screen.getByRole("alert").textContent).toContain("already decided");
  });
});
