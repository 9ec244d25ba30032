// @vitest-environment jsdom
/**
 * The sandbox beside the builder, rendered with React Flow in jsdom and a scripted API: opening
 * it opens a sandbox chat on the saved version; a message streams its answer (Markdown) and the
 * run's node states light up on the builder's own canvas; closing it returns the canvas to its
 * editing colours, and stops a run still going. With unsaved changes it asks first, and "run the
 * saved version" goes on.
 */

import { QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createElement } from "react";
import { MemoryRouter } from "react-router";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ServicesContext } from "../src/app/context";
import { Builder } from "../src/features/studio/builder/Builder";
import { END, START, type WorkflowDefinition } from "../src/features/studio/builder/definition";
import { frame, json, scriptedFetch, sseResponse, type Handler } from "./helpers/http";
import { nodeType } from "./helpers/agentGraphs";
import { signedInServices } from "./helpers/services";
import { stubCanvasDom, stubDialogs } from "./helpers/canvasDom";

const TYPES = [nodeType("llm", "LLM", "processing"), nodeType("router", "Router", "control")];

const DEFINITION: WorkflowDefinition = {
  ir_version: 1,
  name: "Sandboxed",
  state: { messages: { type: "array", reducer: "add_messages" } },
  nodes: [
    { name: "llm_1", type: "llm", config: {}, position: { x: 0, y: 100 } },
    { name: "router_1", type: "router", config: {}, position: { x: 0, y: 220 } },
  ],
  edges: [
    { type: "normal", source: START, target: "llm_1" },
    { type: "normal", source: "llm_1", target: "router_1" },
    { type: "normal", source: "router_1", target: END },
  ],
};

const SANDBOX = "POST /api/v1/developer/agents/agent-1/versions/version-1/sandbox";
const CHAT = {
  id: "chat-1",
  agent_id: "agent-1",
  agent_version_id: "version-1",
  title: "Sandbox",
  status: "active",
  is_sandbox: true,
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-01T00:00:00Z",
};

beforeAll(() => {
  stubCanvasDom();
  stubDialogs();
});

afterEach(cleanup);

/** An SSE response that sends `chunks` and then stays open: a run still going (waiting for a person). */
function openResponse(chunks: string[], headers: Record<string, string>): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
    },
  });
  return new Response(body, { headers: { "Content-Type": "text/event-stream", ...headers } });
}

const RUN_HEADERS = { "X-Chat-Id": "chat-1", "X-Execution-Id": "exec-1", "X-Message-Id": "m1" };

/** A run that stops at `human_1` and waits for a reviewer's answer to task-9. */
const waitingRun: Handler = () =>
  openResponse(
    [
      frame(0, "node_started", { node: "llm_1", step: 1 }),
      frame(1, "node_completed", { node: "llm_1", step: 1 }),
      frame(2, "waiting_for_human", { node: "human_1", step: 2, task_id: "task-9", instruction: "Check the reply" }),
    ],
    RUN_HEADERS,
  );

interface SetupOptions {
  role?: string;
  completion?: Handler;
  initial?: WorkflowDefinition;
  onSaved?: (agentId: string, version: { id: string }, options?: { sandbox: boolean }) => void;
}

function setup(options: SetupOptions = {}) {
  const role = options.role ?? "developer";
  const http = scriptedFetch({
    "GET /api/auth/me": () => json(200, { id: "u", email: "dev@x", role, tenant_id: "t", tenant_name: "demo" }),
    "POST /api/v1/developer/definitions/validate": () => json(200, { valid: true, plan_hash: "h", nodes: 2 }),
    [SANDBOX]: () => json(201, CHAT),
    "POST /api/v1/executions/exec-1/cancel": () => new Response(null, { status: 202 }),
    "POST /api/v1/developer/agents/agent-1/versions": () =>
      json(201, { id: "version-2", agent_id: "agent-1", version: "1.1.0", status: "draft" }),
    "POST /api/v1/chat/completions":
      options.completion ??
      (() =>
        sseResponse(
          [
            frame(0, "node_started", { node: "llm_1", step: 1 }),
            frame(1, "message", { content: "**You said:** hi", node: "llm_1" }),
            frame(2, "node_completed", { node: "llm_1", step: 1 }),
            frame(3, "node_started", { node: "router_1", step: 2 }),
            frame(4, "node_completed", { node: "router_1", step: 2 }),
            frame(5, "done", { status: "completed", answer: "**You said:** hi", message_id: "m2" }),
          ],
          { headers: RUN_HEADERS },
        )),
  });
  const { services, queryClient } = signedInServices(http.fetch, role);
  void services.session.restore();
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
          createElement(Builder, {
            initial: options.initial ?? DEFINITION,
            nodeTypes: TYPES,
            agentId: "agent-1",
            suggestedVersion: "1.1.0",
            readOnly: false,
            title: "Sandboxed",
            saved: { id: "version-1", version: "1.0.0", status: "draft" },
            onSaved: options.onSaved ?? (() => {}),
          }),
        ),
      ),
    ),
  );
  return { http };
}

const runState = (name: string) =>
  document.querySelector(`.react-flow__node[data-id="${name}"] [data-run-state]`)?.getAttribute("data-run-state") ??
  null;
const toggle = () =>
  within(screen.getByRole("toolbar", { name: "Builder tools" })).getByRole("button", { name: "Sandbox" });

describe("the sandbox beside the builder", () => {
  it("chats with the saved version and lights the canvas's nodes as the run goes", async () => {
    const { http } = setup();
    expect(runState("llm_1")).toBeNull();
    fireEvent.click(toggle());
    expect(toggle().getAttribute("aria-expanded")).toBe("true");
    const panel = screen.getByRole("complementary", { name: "Sandbox" });
    expect(within(panel).getByText("Version 1.0.0")).toBeTruthy();
    // Open, before any message: the canvas is in the run's colours, every node idle.
    await waitFor(() => expect(runState("llm_1")).toBe("idle"));
    // The sandbox chat is open once its (empty) conversation shows.
    await within(panel).findByRole("log", { name: "Sandbox conversation" });
    const box = within(panel).getByRole("textbox", { name: "Message to the sandbox" });
    expect(http.calls.filter((c) => c.method === "POST" && c.url.endsWith("/sandbox"))).toHaveLength(1);

    fireEvent.change(box, { target: { value: "hi" } });
    fireEvent.keyDown(box, { key: "Enter" });
    const log = within(panel).getByRole("log", { name: "Sandbox conversation" });
    await waitFor(() => expect(within(log).getByText("You said:").tagName).toBe("STRONG"));
    await waitFor(() => expect(runState("llm_1")).toBe("completed"));
    expect(runState("router_1")).toBe("completed");
    expect(runState(END)).toBe("completed");
    expect(document.querySelector(`.react-flow__node[data-id="llm_1"]`)!.getAttribute("aria-label")).toContain(
      "completed",
    );
    const completion = http.calls.find((c) => c.url === "/api/v1/chat/completions")!;
    expect(completion.body).toEqual({ message: "hi", chat_id: "chat-1" });
    expect(within(panel).getByText("Run completed")).toBeTruthy();

    // "New sandbox chat" opens another chat and clears the canvas back to idle.
    fireEvent.click(within(panel).getByRole("button", { name: "New sandbox chat" }));
    await waitFor(() => expect(runState("llm_1")).toBe("idle"));
    await waitFor(() =>
      expect(http.calls.filter((c) => c.method === "POST" && c.url.endsWith("/sandbox"))).toHaveLength(2),
    );

    // Closed (Escape): the editing colours are back, and the side panel with them.
    fireEvent.keyDown(screen.getByRole("complementary", { name: "Sandbox" }), { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("complementary", { name: "Sandbox" })).toBeNull());
    expect(runState("llm_1")).toBeNull();
    expect(document.querySelector(".run-node--completed, .builder-node--run")).toBeNull();
    expect(screen.getByRole("complementary", { name: "Selected element" })).toBeTruthy();
    expect(document.activeElement).toBe(toggle());
  });

  it("asks first when the canvas has unsaved changes, and runs the saved version when told to", async () => {
    const onSaved = vi.fn();
    const { http } = setup({ onSaved });
    const palette = screen.getByRole("navigation", { name: "Node types" });
    fireEvent.click(within(palette).getByRole("button", { name: "Add a LLM node" }));
    await waitFor(() => expect(document.querySelector('.react-flow__node[data-id="llm_2"]')).not.toBeNull());
    fireEvent.click(toggle());
    const panel = screen.getByRole("complementary", { name: "Sandbox" });
    expect(within(panel).getByText(/The canvas has unsaved changes/)).toBeTruthy();
    expect(http.calls.some((c) => c.url.endsWith("/sandbox"))).toBe(false);

    // "Save a draft first" saves a new version and asks the page to open the sandbox on it.
    // Saving waits for the check of the changed graph, as the toolbar's "save version" does.
    const saveFirst = within(panel).getByRole("button", { name: "Save a draft first" });
    await waitFor(() => expect(saveFirst.getAttribute("aria-disabled")).toBeNull(), { timeout: 3000 });
    fireEvent.click(saveFirst);
    const dialog = await screen.findByRole("dialog", { name: "Save a new version" });
    await waitFor(() =>
      expect(within(dialog).getByRole("button", { name: "Save version" }).hasAttribute("disabled")).toBe(false),
    );
    fireEvent.click(within(dialog).getByRole("button", { name: "Save version" }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(onSaved.mock.calls[0]![0]).toBe("agent-1");
    expect(onSaved.mock.calls[0]![1]).toMatchObject({ id: "version-2" });
    expect(onSaved.mock.calls[0]![2]).toEqual({ sandbox: true });

    fireEvent.click(within(panel).getByRole("button", { name: "Run 1.0.0" }));
    await within(panel).findByRole("log", { name: "Sandbox conversation" });
    expect(within(panel).getByText(/this chat runs the saved version 1.0.0/)).toBeTruthy();
    expect(http.calls.filter((c) => c.url.endsWith("/sandbox"))).toHaveLength(1);
    // The node added since the save is not in the run: idle like the rest before a message.
    expect(runState("llm_2")).toBe("idle");
  });

  it("shows a run waiting for a person on the canvas, with a link to the inbox task for a reviewer", async () => {
    const withHuman: WorkflowDefinition = {
      ...DEFINITION,
      nodes: [DEFINITION.nodes[0]!, { name: "human_1", type: "human", config: {}, position: { x: 0, y: 220 } }],
      edges: [
        { type: "normal", source: START, target: "llm_1" },
        { type: "normal", source: "llm_1", target: "human_1" },
        { type: "normal", source: "human_1", target: END },
      ],
    };
    const { http } = setup({ role: "reviewer", completion: waitingRun, initial: withHuman });
    fireEvent.click(toggle());
    const panel = screen.getByRole("complementary", { name: "Sandbox" });
    // The sandbox chat is open once its (empty) conversation shows.
    await within(panel).findByRole("log", { name: "Sandbox conversation" });
    const box = within(panel).getByRole("textbox", { name: "Message to the sandbox" });
    fireEvent.change(box, { target: { value: "please review" } });
    fireEvent.click(within(panel).getByRole("button", { name: "Send" }));
    await waitFor(() => expect(runState("human_1")).toBe("waiting"));
    expect(runState("llm_1")).toBe("completed");
    expect(within(panel).getByText("Waiting for a person at human_1")).toBeTruthy();
    expect(within(panel).getByText("Check the reply")).toBeTruthy();
    const link = await within(panel).findByRole("link", { name: "Open the inbox task" });
    expect(link.getAttribute("href")).toBe("/reviews/task-9");
    // One run at a time: nothing more can be sent while it waits.
    fireEvent.change(box, { target: { value: "again" } });
    expect((within(panel).getByRole("button", { name: "Send" }) as HTMLButtonElement).disabled).toBe(true);

    // Closing the sandbox stops the run nobody watches any more (and its task with it).
    const cancels = () => http.calls.filter((c) => c.method === "POST" && c.url === "/api/v1/executions/exec-1/cancel");
    expect(cancels()).toHaveLength(0);
    fireEvent.click(within(panel).getByRole("button", { name: "Close" }));
    await waitFor(() => expect(cancels()).toHaveLength(1));
    expect(screen.queryByRole("complementary", { name: "Sandbox" })).toBeNull();
  });
});
