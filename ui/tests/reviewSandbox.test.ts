// @vitest-environment jsdom
/**
 * A reviewer tries a submission in the builder's sandbox panel (its own sandbox chat on the
 * version under review), and a sandbox that closes stops the run still going in it — also when
 * the run had not said its id yet.
 */

import { QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createElement } from "react";
import { MemoryRouter } from "react-router";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Submission } from "../src/api/reviews";
import { ServicesContext } from "../src/app/context";
import { SubmissionPage } from "../src/features/inbox/SubmissionPage";
import { submissionKeys } from "../src/features/inbox/submissionQueries";
import { SandboxRuns } from "../src/features/studio/builder/sandbox/sandboxRuns";
import { stubCanvasDom, stubDialogs } from "./helpers/canvasDom";
import { frame, json, scriptedFetch, sseResponse, type Handler, type RecordedCall } from "./helpers/http";
import { clientWith, signedInServices } from "./helpers/services";

const submission = {
  id: "v-1",
  agent_id: "a-1",
  agent_name: "Trip planner",
  version: "1.2.0",
  status: "submitted",
  changelog: "Asks for the travel dates first.",
  created_at: "2030-01-01T00:00:00Z",
} as Submission;

const CHAT = {
  id: "chat-r",
  agent_id: "a-1",
  agent_version_id: "v-1",
  title: "Sandbox: Trip planner 1.2.0",
  status: "active",
  is_sandbox: true,
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-01T00:00:00Z",
};
const RUN_HEADERS = { "X-Chat-Id": "chat-r", "X-Execution-Id": "exec-r", "X-Message-Id": "m1" };
const CANCEL = "POST /api/v1/executions/exec-r/cancel";

beforeAll(() => {
  stubCanvasDom();
  stubDialogs();
});

afterEach(cleanup);

/** An SSE response that sends `chunks` and then stays open: a run still going. */
function openResponse(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
    },
  });
  return new Response(body, { headers: { "Content-Type": "text/event-stream", ...RUN_HEADERS } });
}

const answered: Handler = () =>
  sseResponse(
    [
      frame(0, "node_started", { node: "answer", step: 1 }),
      frame(1, "message", { content: "Which dates?", node: "answer" }),
      frame(2, "node_completed", { node: "answer", step: 1 }),
      frame(3, "done", { status: "completed", answer: "Which dates?", message_id: "m2" }),
    ],
    { headers: RUN_HEADERS },
  );

const stillGoing: Handler = () => openResponse([frame(0, "node_started", { node: "answer", step: 1 })]);

function setup(completions: Handler[]) {
  const http = scriptedFetch({
    "GET /api/auth/me": () => json(200, { id: "r", email: "r@x", role: "reviewer", tenant_id: "t", tenant_name: "d" }),
    "POST /api/v1/reviews/versions/v-1/sandbox": () => json(201, CHAT),
    "POST /api/v1/chat/completions": completions,
    [CANCEL]: () => new Response(null, { status: 202 }),
  });
  const { services, queryClient } = signedInServices(http.fetch, "reviewer");
  queryClient.setQueryData(submissionKeys.all, [submission]);
  void services.session.restore();
  render(
    createElement(
      ServicesContext.Provider,
      { value: services },
      createElement(
        QueryClientProvider,
        { client: queryClient },
        createElement(MemoryRouter, null, createElement(SubmissionPage, { versionId: "v-1" })),
      ),
    ),
  );
  return { http };
}

const calls = (http: { calls: RecordedCall[] }, key: string) =>
  http.calls.filter((call) => `${call.method} ${call.url}` === key);

async function send(panel: HTMLElement, text: string) {
  await within(panel).findByRole("log", { name: "Sandbox conversation" });
  const box = within(panel).getByRole("textbox", { name: "Message to the sandbox" });
  fireEvent.change(box, { target: { value: text } });
  fireEvent.click(within(panel).getByRole("button", { name: "Send" }));
}

describe("a reviewer's sandbox on a submission", () => {
  it("opens a sandbox chat of the reviewer's on the submitted version and shows the answer", async () => {
    const { http } = setup([answered]);
    const button = screen.getByRole("button", { name: "Try in sandbox" });
    expect(button.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(button);
    expect(button.getAttribute("aria-expanded")).toBe("true");
    const panel = screen.getByRole("complementary", { name: "Sandbox" });
    expect(within(panel).getByText("Version 1.2.0")).toBeTruthy();
    await send(panel, "I want to go to Lisbon");
    await within(panel).findByText("Which dates?");
    expect(calls(http, "POST /api/v1/reviews/versions/v-1/sandbox")).toHaveLength(1);
    expect(http.calls.find((c) => c.url === "/api/v1/chat/completions")!.body).toEqual({
      message: "I want to go to Lisbon",
      chat_id: "chat-r",
    });
    // Closed after the run ended: nothing to stop, and the keyboard is back on the button.
    fireEvent.click(within(panel).getByRole("button", { name: "Close" }));
    await waitFor(() => expect(screen.queryByRole("complementary", { name: "Sandbox" })).toBeNull());
    expect(document.activeElement).toBe(button);
    expect(calls(http, CANCEL)).toHaveLength(0);
  });

  it("cancels the run still going when the sandbox closes", async () => {
    const { http } = setup([stillGoing]);
    fireEvent.click(screen.getByRole("button", { name: "Try in sandbox" }));
    const panel = screen.getByRole("complementary", { name: "Sandbox" });
    await send(panel, "hello");
    await within(panel).findByText("Running…");
    expect(calls(http, CANCEL)).toHaveLength(0);
    fireEvent.keyDown(panel, { key: "Escape" });
    await waitFor(() => expect(calls(http, CANCEL)).toHaveLength(1));
    expect(screen.queryByRole("complementary", { name: "Sandbox" })).toBeNull();
  });
});

describe("closing a sandbox conversation", () => {
  it("cancels a run that starts after it closed, as soon as the run says which it is", async () => {
    let respond: (response: Response) => void = () => {};
    const http = scriptedFetch({
      "POST /api/v1/chat/completions": () => new Promise<Response>((resolve) => (respond = resolve)),
      [CANCEL]: () => new Response(null, { status: 202 }),
    });
    const runs = new SandboxRuns(clientWith(http.fetch));
    runs.send("chat-r", "hello");
    await waitFor(() => expect(http.calls).toHaveLength(1));
    runs.close();
    expect(runs.getState().turns).toEqual([]);
    expect(calls(http, CANCEL)).toHaveLength(0);
    // The request was on its way: the run starts, says its id, and is cancelled.
    respond(openResponse([frame(0, "node_started", { node: "answer", step: 1 })]));
    await waitFor(() => expect(calls(http, CANCEL)).toHaveLength(1));
    // Its events never reach the closed (now empty) conversation.
    expect(runs.getState().turns).toEqual([]);
  });

  it("leaves a finished run alone", async () => {
    const http = scriptedFetch({ "POST /api/v1/chat/completions": answered });
    const runs = new SandboxRuns(clientWith(http.fetch));
    runs.send("chat-r", "hello");
    await waitFor(() => expect(runs.getState().turns[0]?.active).toBe(false));
    runs.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(http.unexpected).toEqual([]);
    expect(http.calls.map((c) => c.url)).toEqual(["/api/v1/chat/completions"]);
  });
});
