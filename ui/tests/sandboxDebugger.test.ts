// @vitest-environment jsdom
/**
 * Breakpoints in the builder's sandbox, rendered with React Flow in jsdom and a scripted API: a
 * breakpoint ticked before a node goes with the message; when the stream says the run paused,
 * the canvas marks the node it stopped before and the debugger shows the whole state. A bad
 * edit is refused here (not JSON) or by the server (per key); a good one sends only the changed
 * keys; Continue resumes the run, the debugger goes away and the answer comes.
 */

import { QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createElement } from "react";
import { MemoryRouter } from "react-router";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ServicesContext } from "../src/app/context";
import { Builder } from "../src/features/studio/builder/Builder";
import { END, START, type WorkflowDefinition } from "../src/features/studio/builder/definition";
import { nodeType } from "./helpers/agentGraphs";
import { stubCanvasDom, stubDialogs } from "./helpers/canvasDom";
import { frame, json, problem, scriptedFetch } from "./helpers/http";
import { signedInServices } from "./helpers/services";

const TYPES = [nodeType("llm", "LLM", "processing"), nodeType("router", "Router", "control")];

const DEFINITION: WorkflowDefinition = {
  ir_version: 1,
  name: "Debugged",
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

const STATE = { messages: [{ role: "user", content: "hi" }] };
const PAUSED_VIEW = {
  status: "paused",
  step: 0,
  paused: true,
  breakpoint: { step: 0, before: ["llm_1"], after: [], next: ["llm_1"] },
  state: STATE,
  breakpoints: { before: ["llm_1"], after: [] },
};

beforeAll(() => {
  stubCanvasDom();
  stubDialogs();
});

afterEach(cleanup);

/** An SSE stream the test writes to as the run goes on. */
function liveStream() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  return {
    response: () =>
      new Response(body, {
        headers: {
          "Content-Type": "text/event-stream",
          "X-Chat-Id": "chat-1",
          "X-Execution-Id": "exec-1",
          "X-Message-Id": "m1",
        },
      }),
    send: (chunk: string) => controller.enqueue(encoder.encode(chunk)),
    end: () => controller.close(),
  };
}

function setup() {
  const stream = liveStream();
  const http = scriptedFetch({
    "GET /api/auth/me": () =>
      json(200, { id: "u", email: "dev@x", role: "developer", tenant_id: "t", tenant_name: "d" }),
    "POST /api/v1/developer/definitions/validate": () => json(200, { valid: true, plan_hash: "h", nodes: 2 }),
    "POST /api/v1/developer/agents/agent-1/versions/version-1/sandbox": () => json(201, CHAT),
    "POST /api/v1/chat/completions": () => {
      stream.send(frame(0, "paused", { step: 0, breakpoint: PAUSED_VIEW.breakpoint }));
      return stream.response();
    },
    "GET /api/v1/executions/exec-1/debug": () => json(200, PAUSED_VIEW),
    // Nothing has finished before the first node.
    "GET /api/v1/executions/exec-1": () => json(200, { id: "exec-1", status: "paused", nodes: [] }),
    "PUT /api/v1/executions/exec-1/state": [
      () =>
        problem(422, "the state edit does not fit the agent's state", [
          { path: "/body/state/messages", message: "expected an array" },
        ]),
      (call) => json(200, { ...PAUSED_VIEW, state: (call.body as { state: object }).state }),
    ],
    "POST /api/v1/executions/exec-1/resume": () => {
      stream.send(frame(1, "resumed", { step: 0 }));
      stream.send(frame(2, "node_started", { node: "llm_1", step: 0 }));
      stream.send(frame(3, "message", { content: "You said: edited", node: "llm_1" }));
      stream.send(frame(4, "node_completed", { node: "llm_1", step: 0 }));
      stream.send(frame(5, "done", { status: "completed", answer: "You said: edited", message_id: "m2" }));
      stream.end();
      return new Response(null, { status: 202 });
    },
  });
  const { services, queryClient } = signedInServices(http.fetch, "developer");
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
            initial: DEFINITION,
            nodeTypes: TYPES,
            agentId: "agent-1",
            suggestedVersion: "1.1.0",
            readOnly: false,
            title: "Debugged",
            saved: { id: "version-1", version: "1.0.0", status: "draft" },
            onSaved: () => {},
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

describe("breakpoints in the sandbox", () => {
  it("pauses before a node, shows and edits the state, and continues to the answer", async () => {
    const { http } = setup();
    fireEvent.click(
      within(screen.getByRole("toolbar", { name: "Builder tools" })).getByRole("button", { name: "Sandbox" }),
    );
    const panel = screen.getByRole("complementary", { name: "Sandbox" });
    await within(panel).findByRole("log", { name: "Sandbox conversation" });

    // The graph's nodes are offered; one breakpoint before llm_1.
    expect(within(panel).getByRole("checkbox", { name: "Pause after router_1" })).toBeTruthy();
    fireEvent.click(within(panel).getByRole("checkbox", { name: "Pause before llm_1" }));
    expect(within(panel).getByText("Breakpoints (1 set)")).toBeTruthy();
    const box = within(panel).getByRole("textbox", { name: "Message to the sandbox" });
    fireEvent.change(box, { target: { value: "hi" } });
    fireEvent.keyDown(box, { key: "Enter" });

    // Paused: the node it stopped before is marked on the canvas, the debugger shows the state.
    const debug = await within(panel).findByRole("region", { name: "Debugger" });
    await within(debug).findByText("Paused at a breakpoint, step 0");
    expect(within(debug).getByText("Before: llm_1")).toBeTruthy();
    expect(within(debug).getByText("Runs next: llm_1")).toBeTruthy();
    expect(within(debug).getByLabelText("The run's state (JSON)").textContent).toContain('"content": "hi"');
    await waitFor(() => expect(runState("llm_1")).toBe("paused"));
    expect(runState("router_1")).toBe("idle");
    const completion = http.calls.find((c) => c.url === "/api/v1/chat/completions")!;
    expect(completion.body).toEqual({
      message: "hi",
      chat_id: "chat-1",
      breakpoints: { before: ["llm_1"], after: [] },
    });

    // Not JSON: refused here, nothing sent.
    fireEvent.click(within(debug).getByRole("button", { name: "Edit state" }));
    const editor = within(debug).getByRole("textbox", { name: "The run's state (JSON, editable)" });
    fireEvent.change(editor, { target: { value: '{"messages": [' } });
    fireEvent.click(within(debug).getByRole("button", { name: "Apply edit" }));
    expect(within(debug).getByRole("alert").textContent).toMatch(/Not valid JSON/);
    const puts = () => http.calls.filter((c) => c.method === "PUT");
    expect(puts()).toHaveLength(0);

    // Refused by the server: its message by key.
    fireEvent.change(editor, { target: { value: '{"messages": "oops"}' } });
    fireEvent.click(within(debug).getByRole("button", { name: "Apply edit" }));
    const refusal = await within(debug).findByText("expected an array");
    expect(refusal.closest("li")!.getAttribute("data-state-key")).toBe("messages");
    expect(puts()[0]!.body).toEqual({ state: { messages: "oops" } });

    // Accepted: only the changed key is sent, and the state shown is the run's new one.
    const edited = { messages: [{ role: "user", content: "edited" }] };
    fireEvent.change(editor, { target: { value: JSON.stringify(edited) } });
    fireEvent.click(within(debug).getByRole("button", { name: "Apply edit" }));
    await within(debug).findByText("State updated: the next step sees it.");
    expect(puts()[1]!.body).toEqual({ state: edited });
    expect(within(debug).getByLabelText("The run's state (JSON)").textContent).toContain('"content": "edited"');

    // Continue: the run goes on, the debugger goes away, the answer comes.
    fireEvent.click(within(debug).getByRole("button", { name: "Continue" }));
    const log = within(panel).getByRole("log", { name: "Sandbox conversation" });
    await within(log).findByText("You said: edited");
    await waitFor(() => expect(within(panel).queryByRole("region", { name: "Debugger" })).toBeNull());
    await waitFor(() => expect(runState("llm_1")).toBe("completed"));
    expect(within(panel).getByText("Run completed")).toBeTruthy();
    expect(http.unexpected).toEqual([]);
  });

  it("sends no breakpoints when none is ticked", async () => {
    const { http } = setup();
    fireEvent.click(
      within(screen.getByRole("toolbar", { name: "Builder tools" })).getByRole("button", { name: "Sandbox" }),
    );
    const panel = screen.getByRole("complementary", { name: "Sandbox" });
    await within(panel).findByRole("log", { name: "Sandbox conversation" });
    fireEvent.click(within(panel).getByRole("checkbox", { name: "Pause before llm_1" }));
    fireEvent.click(within(panel).getByRole("checkbox", { name: "Pause before llm_1" }));
    const box = within(panel).getByRole("textbox", { name: "Message to the sandbox" });
    fireEvent.change(box, { target: { value: "hi" } });
    fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(http.calls.some((c) => c.url === "/api/v1/chat/completions")).toBe(true));
    expect(http.calls.find((c) => c.url === "/api/v1/chat/completions")!.body).toEqual({
      message: "hi",
      chat_id: "chat-1",
    });
  });
});
