// @vitest-environment jsdom
/**
 * The debugger panel alone, over a scripted API: a run paused after a node shows where it
 * stands, what that node read and wrote, and steps one superstep; a run that is no longer
 * paused shows no panel; a refused command says why.
 */

import { QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createElement } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { ServicesContext } from "../src/app/context";
import { DebuggerPanel } from "../src/run/debug/DebuggerPanel";
import { RunDebugger } from "../src/run/debug/RunDebugger";
import { json, problem, scriptedFetch, type Handler } from "./helpers/http";
import { signedInServices } from "./helpers/services";

afterEach(cleanup);

const AFTER_VIEW = {
  status: "paused",
  step: 1,
  paused: true,
  breakpoint: { step: 1, before: [], after: ["classify"], next: ["reply", "tag"] },
  state: { category: "billing" },
  breakpoints: { before: [], after: ["classify"] },
};

const DETAIL = {
  id: "exec-1",
  status: "paused",
  nodes: [
    {
      task_id: "t1",
      node_name: "classify",
      node_type: "llm",
      status: "completed",
      step: 0,
      input_state: { messages: ["help"] },
      output_state: { category: "billing" },
    },
  ],
};

function show(routes: Record<string, Handler | Handler[]>) {
  const http = scriptedFetch(routes);
  const { services, queryClient } = signedInServices(http.fetch, "developer");
  render(
    createElement(
      ServicesContext.Provider,
      { value: services },
      createElement(
        QueryClientProvider,
        { client: queryClient },
        createElement(DebuggerPanel, { executionId: "exec-1" }),
      ),
    ),
  );
  return http;
}

describe("the debugger panel", () => {
  it("shows a run paused after a node, what it read and wrote, and steps once", async () => {
    const http = show({
      "GET /api/v1/executions/exec-1/debug": () => json(200, AFTER_VIEW),
      "GET /api/v1/executions/exec-1": () => json(200, DETAIL),
      "POST /api/v1/executions/exec-1/step": () => new Response(null, { status: 202 }),
    });
    const panel = screen.getByRole("region", { name: "Debugger" });
    await within(panel).findByText("Paused at a breakpoint, step 1");
    expect(within(panel).getByText("After: classify")).toBeTruthy();
    expect(within(panel).getByText("Runs next: reply, tag")).toBeTruthy();
    expect(within(panel).queryByText(/^Before:/)).toBeNull();
    const node = await within(panel).findByText("classify (step 0)");
    const details = node.closest("details")!;
    expect(details.getAttribute("data-node-name")).toBe("classify");
    expect(details.textContent).toContain('"help"');
    expect(details.textContent).toContain('"category": "billing"');

    fireEvent.click(within(panel).getByRole("button", { name: "Step" }));
    await within(panel).findByText("Running one step…");
    expect(http.calls.filter((c) => c.method === "POST").map((c) => c.url)).toEqual(["/api/v1/executions/exec-1/step"]);
    // Sent: nothing more until the stream says the run went on.
    for (const name of ["Step", "Continue", "Stop"]) {
      expect((within(panel).getByRole("button", { name }) as HTMLButtonElement).disabled).toBe(true);
    }
  });

  it("shows nothing for a run that is not paused, and says why a command was refused", async () => {
    show({
      "GET /api/v1/executions/exec-1/debug": () => json(200, { ...AFTER_VIEW, paused: false, breakpoint: null }),
    });
    await waitFor(() => expect(screen.queryByRole("region", { name: "Debugger" })).toBeNull());
    cleanup();

    show({
      "GET /api/v1/executions/exec-1/debug": () => json(200, AFTER_VIEW),
      "GET /api/v1/executions/exec-1": () => json(200, { ...DETAIL, nodes: [] }),
      "POST /api/v1/executions/exec-1/cancel": () => problem(409, "the run has ended"),
    });
    const panel = screen.getByRole("region", { name: "Debugger" });
    fireEvent.click(await within(panel).findByRole("button", { name: "Stop" }));
    const alert = await within(panel).findByRole("alert");
    expect(alert.textContent).toContain("the run has ended");
    expect((within(panel).getByRole("button", { name: "Stop" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("beside a chat's run: only while it is paused, and not at all for who may not debug it", async () => {
    const http = scriptedFetch({ "GET /api/v1/executions/exec-1/debug": () => problem(403, "not a debugger") });
    const { services, queryClient } = signedInServices(http.fetch, "user");
    const at = (phase: "streaming" | "paused") =>
      createElement(
        ServicesContext.Provider,
        { value: services },
        createElement(
          QueryClientProvider,
          { client: queryClient },
          createElement(RunDebugger, { executionId: "exec-1", phase }),
        ),
      );
    const { rerender } = render(at("streaming"));
    expect(http.calls).toHaveLength(0);
    rerender(at("paused"));
    await waitFor(() => expect(http.calls).toHaveLength(1));
    await waitFor(() => expect(screen.queryByRole("region", { name: "Debugger" })).toBeNull());
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
