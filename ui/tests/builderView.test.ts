// @vitest-environment jsdom
/**
 * The builder as a person meets it, rendered with React Flow in jsdom and a scripted API: the
 * palette grouped by category, a node added by its button and another dropped onto the canvas,
 * the server's problem shown as a badge on the node, in the problems list and as the reason
 * "save version" is unavailable; an edge turned conditional with its outcome labels.
 */

import { QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, createEvent, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createElement } from "react";
import { MemoryRouter } from "react-router";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ServicesContext } from "../src/app/context";
import { Builder } from "../src/features/studio/builder/Builder";
import { NODE_TYPE_MIME } from "../src/features/studio/builder/BuilderCanvas";
import { emptyDefinition, type WorkflowDefinition } from "../src/features/studio/builder/definition";
import { json, problem, scriptedFetch, type RecordedCall } from "./helpers/http";
import { nodeType } from "./helpers/agentGraphs";
import { signedInServices } from "./helpers/services";
import { stubCanvasDom, stubDialogs } from "./helpers/canvasDom";

const TYPES = [
  nodeType("llm", "LLM", "processing", { system_prompt: "You are helpful." }),
  nodeType("router", "Router", "control", { cases: [], default: null, output_key: "route" }),
  nodeType("human", "Human review", "control"),
];

beforeAll(() => {
  stubCanvasDom();
  stubDialogs();
});

afterEach(cleanup);

/** The validation route: every node named "llm_…" gets a problem on its model; else valid. */
function validate(call: RecordedCall) {
  const definition = (call.body as { workflow_definition: WorkflowDefinition }).workflow_definition;
  const errors = definition.nodes.flatMap((node, i) =>
    node.type === "llm" ? [{ path: `/body/workflow_definition/nodes/${i}/config/model`, message: "pick a model" }] : [],
  );
  return errors.length
    ? problem(422, "the workflow definition has problems", errors)
    : json(200, { valid: true, plan_hash: "h", nodes: 1 });
}

function setup(initial: WorkflowDefinition = emptyDefinition()) {
  const http = scriptedFetch({
    "POST /api/v1/developer/definitions/validate": validate,
    "GET /api/v1/service-configs": () => json(200, { items: [], total: 0, limit: 200, offset: 0 }),
    "GET /api/v1/tools": () => json(200, { items: [], total: 0, limit: 200, offset: 0 }),
    "GET /api/v1/knowledge-bases": () => json(200, { items: [], total: 0, limit: 200, offset: 0 }),
  });
  const { services, queryClient } = signedInServices(http.fetch);
  const view = render(
    createElement(
      ServicesContext.Provider,
      { value: services },
      createElement(
        QueryClientProvider,
        { client: queryClient },
        createElement(
          MemoryRouter,
          null,
          createElement(Builder, {
            initial,
            nodeTypes: TYPES,
            agentId: null,
            suggestedVersion: "1.0.0",
            readOnly: false,
            title: "New agent",
            onSaved: () => {},
          }),
        ),
      ),
    ),
  );
  return { http, view };
}

const canvasNode = (name: string) => document.querySelector(`.react-flow__node[data-id="${name}"]`);

describe("the builder", () => {
  it("shows the palette by category, adds a node by its button and shows the server's problem on it", async () => {
    setup();
    const palette = screen.getByRole("navigation", { name: "Node types" });
    expect(within(palette).getByRole("heading", { name: "control" })).toBeTruthy();
    expect(within(palette).getByRole("heading", { name: "processing" })).toBeTruthy();
    expect(within(palette).getByText("Human review")).toBeTruthy();

    fireEvent.click(within(palette).getByRole("button", { name: "Add a LLM node" }));
    await waitFor(() => expect(canvasNode("llm_1")).not.toBeNull());
    // The new node is selected: the side panel shows it.
    expect(screen.getByRole("heading", { name: "Node llm_1" })).toBeTruthy();

    // ~500 ms later the server's answer lands: a badge on the node, the count, the list, and why saving waits.
    await waitFor(() => expect(canvasNode("llm_1")!.textContent).toContain("1 problem"), { timeout: 3000 });
    const problems = screen.getByRole("region", { name: "1 problem" });
    expect(within(problems).getByRole("button", { name: /Node llm_1: pick a model/ })).toBeTruthy();
    const save = screen.getByRole("button", { name: "Save version" });
    expect(save.getAttribute("aria-disabled")).toBe("true");
    expect(save.getAttribute("title")).toBe("Fix the problem first.");
  });

  it("adds the type dropped on the canvas, and undo takes it away again", async () => {
    const { http } = setup();
    const canvas = document.querySelector(".builder-canvas")!;
    const dataTransfer = { types: [NODE_TYPE_MIME], getData: () => "router", dropEffect: "" };
    // jsdom has no DragEvent: the pointer's place is set on the plain event it makes.
    const dragEvent = (make: typeof createEvent.drop) => {
      const event = make(canvas, { dataTransfer });
      Object.defineProperties(event, { clientX: { value: 200 }, clientY: { value: 150 } });
      return event;
    };
    fireEvent(canvas, dragEvent(createEvent.dragOver));
    fireEvent(canvas, dragEvent(createEvent.drop));
    await waitFor(() => expect(canvasNode("router_1")).not.toBeNull());
    const toolbar = screen.getByRole("toolbar", { name: "Builder tools" });
    await waitFor(() => expect(within(toolbar).getByRole("status").textContent).toBe("No problems"), { timeout: 3000 });
    expect(screen.getByRole("button", { name: "Save version" }).getAttribute("aria-disabled")).toBeNull();
    expect(http.calls.some((c) => c.url === "/api/v1/developer/definitions/validate")).toBe(true);

    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    await waitFor(() => expect(canvasNode("router_1")).toBeNull());
    act(() => void fireEvent.keyDown(window, { key: "z", ctrlKey: true, shiftKey: true }));
    await waitFor(() => expect(canvasNode("router_1")).not.toBeNull());
  });

  it("turns an edge conditional in the edge panel and labels each branch with its outcome", async () => {
    const initial: WorkflowDefinition = {
      ...emptyDefinition(),
      nodes: [
        { name: "router_1", type: "router", config: {}, position: { x: 0, y: 100 } },
        { name: "human_1", type: "human", config: {}, position: { x: 0, y: 250 } },
      ],
      edges: [
        { type: "normal", source: "__start__", target: "router_1" },
        { type: "normal", source: "router_1", target: "human_1" },
        { type: "normal", source: "human_1", target: "__end__" },
      ],
    };
    setup(initial);
    fireEvent.click(canvasNode("router_1")!);
    const panel = await screen.findByRole("region", { name: "Node router_1" });
    fireEvent.click(within(panel).getByRole("button", { name: /normal → human_1/ }));
    const edgePanel = await screen.findByRole("region", { name: "Edge from router_1" });
    fireEvent.click(within(edgePanel).getByRole("radio", { name: /Conditional/ }));
    fireEvent.change(within(edgePanel).getByRole("textbox", { name: "Condition" }), { target: { value: "route" } });
    const outcome = within(edgePanel).getByRole("textbox", { name: "Outcome 1" });
    fireEvent.change(outcome, { target: { value: "review" } });
    fireEvent.blur(outcome);
    fireEvent.change(within(edgePanel).getByRole("combobox", { name: "Default target" }), {
      target: { value: "__end__" },
    });
    await waitFor(() => {
      const labels = [...document.querySelectorAll("[data-edge-label]")].map((l) => l.textContent);
      expect(labels.sort()).toEqual(["conditiondefault", "conditionreview"]);
    });
  });
});
