// @vitest-environment jsdom
/**
 * The version diff as a person meets it, rendered with React Flow in jsdom and a scripted API:
 * Studio's comparison page (the previous version and the latest by default) with the nodes marked
 * on the canvas in words, the legend, the changed values listed, a node selected pointing at its
 * changes, another version picked through the URL; and the reviewer's section when nothing is
 * published yet.
 */

import { QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createElement, type ReactElement } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Submission } from "../src/api/reviews";
import { ServicesContext } from "../src/app/context";
import { SubmissionDiff } from "../src/features/inbox/SubmissionDiff";
import { VersionDiffPage } from "../src/features/studio/diff/VersionDiffPage";
import type { AgentGraph, AgentGraphEdge, AgentGraphNode } from "../src/run/graph/api";
import type { VersionDiff } from "../src/run/graph/graphDiff";
import { json, scriptedFetch, type Handler } from "./helpers/http";
import { edge, graph as agentGraph, node } from "./helpers/agentGraphs";
import { signedInServices } from "./helpers/services";
import { stubCanvasDom } from "./helpers/canvasDom";

beforeAll(stubCanvasDom);

afterEach(cleanup);

const graph = (versionId: string, nodes: AgentGraphNode[], edges: AgentGraphEdge[]): AgentGraph =>
  agentGraph(nodes, edges, { agent_id: "a1", agent_version_id: versionId, version: versionId, name: "trip" });

const V1 = graph(
  "v1",
  [node("plan", "llm"), node("draft", "llm")],
  [edge(0, "__start__", "plan"), edge(1, "plan", "draft"), edge(2, "draft", "__end__")],
);
const V2 = graph(
  "v2",
  [node("plan", "llm"), node("review", "human")],
  [edge(0, "__start__", "plan"), edge(1, "plan", "review"), edge(2, "review", "__end__")],
);
const DIFF: VersionDiff = {
  from: "1.0.0",
  to: "1.1.0",
  changes: [
    { op: "changed", path: "/plan_hash", old: "h1", new: "h2" },
    { op: "changed", path: "/template_parameters/tone", old: "friendly", new: "formal" },
  ],
  graph: {
    nodes_added: ["review"],
    nodes_removed: ["draft"],
    nodes_changed: [{ name: "plan", changes: [{ op: "changed", path: "/config/temperature", old: 0.7, new: 1.2 }] }],
    edges_added: [
      { source: "plan", target: "review", kind: "normal", label: "" },
      { source: "review", target: "__end__", kind: "normal", label: "" },
    ],
    edges_removed: [
      { source: "draft", target: "__end__", kind: "normal", label: "" },
      { source: "plan", target: "draft", kind: "normal", label: "" },
    ],
    state_changes: [],
  },
};
const version = (id: string, v: string, status: string) => ({
  id,
  version: v,
  status,
  changelog: null,
  is_current: false,
  created_at: "2030-01-01T00:00:00Z",
});
const AGENT = {
  id: "a1",
  name: "Trip planner",
  description: null,
  status: "draft",
  versions: [version("v3", "1.2.0", "draft"), version("v2", "1.1.0", "draft"), version("v1", "1.0.0", "published")],
};

function Where() {
  const location = useLocation();
  return createElement("output", { "data-testid": "where" }, `${location.pathname}${location.search}`);
}

function setup(routes: Record<string, Handler | Handler[]>, element: ReactElement, path: string, url: string) {
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
          { initialEntries: [url] },
          createElement(Routes, null, createElement(Route, { path, element })),
          createElement(Where),
        ),
      ),
    ),
  );
  return http;
}

const canvasNode = (name: string) => document.querySelector<HTMLElement>(`.react-flow__node[data-id="${name}"]`);
const DEV = "/api/v1/developer/agents/a1";

describe("comparing two versions in Studio", () => {
  it("shows the previous version against the latest: marks in words, the legend and the values changed", async () => {
    const http = setup(
      {
        [`GET ${DEV}`]: () => json(200, AGENT),
        [`GET ${DEV}/versions/v2/graph`]: () => json(200, V1),
        [`GET ${DEV}/versions/v3/graph`]: () => json(200, V2),
        [`GET ${DEV}/versions/v2/diff/v3`]: () => json(200, DIFF),
        [`GET ${DEV}/versions/v1/graph`]: () => json(200, V1),
        [`GET ${DEV}/versions/v1/diff/v3`]: () => json(200, { ...DIFF, from: "1.0.0" }),
      },
      createElement(VersionDiffPage, { agentId: "a1" }),
      "/studio/agents/:agentId/diff",
      "/studio/agents/a1/diff",
    );
    expect(await screen.findByRole("heading", { level: 1, name: "Compare versions of Trip planner" })).toBeTruthy();
    // The default pair: the previous version and the latest.
    expect((screen.getByLabelText("From version") as HTMLSelectElement).value).toBe("v2");
    expect((screen.getByLabelText("To version") as HTMLSelectElement).value).toBe("v3");
    expect(screen.getByRole("heading", { level: 2, name: "From 1.1.0 to 1.2.0" })).toBeTruthy();

    await waitFor(() => expect(canvasNode("plan")).not.toBeNull());
    // Each node says what happened to it, on the node and in its accessible name.
    expect(canvasNode("plan")!.textContent).toContain("changed · 1 value");
    expect(canvasNode("plan")!.getAttribute("aria-label")).toBe("LLM plan, changed · 1 value");
    expect(canvasNode("review")!.textContent).toContain("added");
    expect(canvasNode("draft")!.textContent).toContain("removed");
    expect(canvasNode("draft")!.querySelector(".diff-node--removed")).not.toBeNull();
    expect(document.querySelector('[data-edge-label="normal:plan->draft"]')?.textContent).toBe("− removed");
    expect(
      screen.getByText("1 node added · 1 node removed · 1 node changed · 2 edges added · 2 edges removed"),
    ).toBeTruthy();
    const legend = screen.getByRole("list", { name: "What the colours and marks mean" });
    expect(
      within(legend)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Added", "Removed", "Changed", "Unchanged"]);

    // The list: what was added and removed, then the node's values, then the version's settings.
    const structure = screen.getByRole("region", { name: "Nodes and edges" });
    expect(
      within(structure)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "Node review added",
      "Node draft removed",
      "Edge plan → review added",
      "Edge review → End added",
      "Edge draft → End removed",
      "Edge plan → draft removed",
    ]);
    const plan = screen.getByRole("region", { name: "Node plan" });
    expect(within(plan).getByText("config › temperature")).toBeTruthy();
    expect(within(plan).getByRole("deletion").textContent).toBe("before: 0.7");
    expect(within(plan).getByRole("insertion").textContent).toBe("after: 1.2");
    const settings = screen.getByRole("region", { name: "Version settings" });
    expect(within(settings).getByText("Template parameters › tone")).toBeTruthy();
    expect(settings.textContent).not.toContain("plan_hash");

    // Selecting the changed node points at its changes.
    fireEvent.click(canvasNode("plan")!);
    const link = await screen.findByRole("link", { name: "Show its changes" });
    expect(screen.getByText(/plan \(LLM\): changed · 1 value\./)).toBeTruthy();
    expect(link.getAttribute("href")).toBe(`#${plan.id}`);
    expect(plan.getAttribute("aria-current")).toBe("true");

    // Another version picked: the URL says so and that diff is read.
    fireEvent.change(screen.getByLabelText("From version"), { target: { value: "v1" } });
    await waitFor(() => expect(screen.getByTestId("where").textContent).toBe("/studio/agents/a1/diff?from=v1&to=v3"));
    await waitFor(() => expect(http.calls.some((c) => c.url === `${DEV}/versions/v1/diff/v3`)).toBe(true));
    expect(await screen.findByRole("heading", { level: 2, name: "From 1.0.0 to 1.2.0" })).toBeTruthy();
    expect(http.unexpected).toEqual([]);
  });
});

describe("a submission's changes against the published version", () => {
  it("says everything is new when nothing is published, without reading a published graph", async () => {
    const submission = { id: "v1", agent_id: "a1", agent_name: "Trip planner", version: "1.0.0" } as Submission;
    const http = setup(
      {
        "GET /api/v1/reviews/versions/v1/diff": () =>
          json(200, {
            ...DIFF,
            from: null,
            to: "1.0.0",
            changes: [],
            graph: {
              ...DIFF.graph,
              nodes_added: ["plan", "review"],
              nodes_removed: [],
              nodes_changed: [],
              edges_removed: [],
              edges_added: [
                ...DIFF.graph.edges_added,
                { source: "__start__", target: "plan", kind: "normal", label: "" },
              ],
            },
          }),
      },
      createElement(SubmissionDiff, { submission, graph: V2 }),
      "*",
      "/reviews/submissions/v1",
    );
    expect(screen.getByRole("heading", { level: 2, name: "Changes against the published version" })).toBeTruthy();
    expect(
      await screen.findByText("Nothing of this agent is published yet: all of version 1.0.0 is new."),
    ).toBeTruthy();
    await waitFor(() => expect(canvasNode("plan")).not.toBeNull());
    expect(canvasNode("plan")!.textContent).toContain("added");
    expect(canvasNode("review")!.textContent).toContain("added");
    expect(screen.getByText("2 nodes added · 3 edges added")).toBeTruthy();
    expect(http.calls.map((c) => c.url)).toEqual(["/api/v1/reviews/versions/v1/diff"]);
  });
});
