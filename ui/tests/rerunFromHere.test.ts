// @vitest-environment jsdom
/**
 * "Run again from here" as a person meets it in the node details: the button opens the form;
 * confirming without an edit sends the task alone; an edited state is checked as a JSON object
 * before anything is sent and only its changed keys go; the server's 422 field errors show beside
 * the editor; a started run is handed to the caller to follow.
 */

import { QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { createElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ServicesContext } from "../src/app/context";
import { RerunFromHere } from "../src/run/graph/RerunFromHere";
import { readStateEdit, rerunBody, type RerunResult } from "../src/run/graph/rerun";
import { json, problem, scriptedFetch, type Handler } from "./helpers/http";
import { signedInServices } from "./helpers/services";

afterEach(cleanup);

const RUN = "11111111-1111-1111-1111-111111111111";
const NEW_RUN = "22222222-2222-2222-2222-222222222222";
const TASK = "1:second:0";
const INPUT = { topic: "cats", count: 2 };
const RERUN_PATH = `POST /api/v1/executions/${RUN}/rerun`;
const STARTED: RerunResult = { execution_id: NEW_RUN, rerun_of: RUN, from_task: TASK, reused_tasks: ["0:first:0"] };

function renderForm(handlers: Handler[]) {
  const http = scriptedFetch({ [RERUN_PATH]: handlers });
  const { services, queryClient } = signedInServices(http.fetch);
  const onStarted = vi.fn<(result: RerunResult) => void>();
  render(
    createElement(
      ServicesContext.Provider,
      { value: services },
      createElement(
        QueryClientProvider,
        { client: queryClient },
        createElement(RerunFromHere, { executionId: RUN, taskId: TASK, inputState: INPUT, onStarted }),
      ),
    ),
  );
  fireEvent.click(screen.getByRole("button", { name: "Run again from here" }));
  return { calls: http.calls, onStarted };
}

const editor = () => screen.getByRole("textbox", { name: "State before this step (JSON)" });
const confirm = () => fireEvent.click(screen.getByRole("button", { name: "Run again" }));

function editState(text: string) {
  fireEvent.click(screen.getByRole("checkbox", { name: "Edit the state before this step" }));
  fireEvent.change(editor(), { target: { value: text } });
}

describe("RerunFromHere", () => {
  it("opens with the focus in the form, and sends the task alone when the state is not edited", async () => {
    const { calls, onStarted } = renderForm([() => json(201, STARTED)]);
    expect(document.activeElement).toBe(screen.getByRole("checkbox", { name: "Edit the state before this step" }));
    confirm();
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith(STARTED));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body).toEqual({ task_id: TASK });
  });

  it("prefills the recorded input state and sends only the keys that changed", async () => {
    const { calls, onStarted } = renderForm([() => json(201, STARTED)]);
    fireEvent.click(screen.getByRole("checkbox", { name: "Edit the state before this step" }));
    expect(JSON.parse((editor() as HTMLTextAreaElement).value)).toEqual(INPUT);
    fireEvent.change(editor(), { target: { value: JSON.stringify({ topic: "dogs", count: 2 }) } });
    confirm();
    await waitFor(() => expect(onStarted).toHaveBeenCalled());
    expect(calls[0]?.body).toEqual({ task_id: TASK, state: { topic: "dogs" } });
  });

  it("refuses text that is not JSON, or not an object, without sending anything", async () => {
    const { calls, onStarted } = renderForm([]);
    editState("{ topic: dogs");
    confirm();
    expect(await screen.findByText(/This is not valid JSON/)).toBeTruthy();
    expect(editor().getAttribute("aria-invalid")).toBe("true");
    fireEvent.change(editor(), { target: { value: "[1, 2]" } });
    confirm();
    expect(await screen.findByText("The state must be a JSON object ({ … }).")).toBeTruthy();
    expect(calls).toHaveLength(0);
    expect(onStarted).not.toHaveBeenCalled();
  });

  it("shows the server's field errors beside the editor when the state does not fit", async () => {
    const { calls, onStarted } = renderForm([
      () =>
        problem(422, "the state edit does not fit the agent's state", [
          { path: "state.count", message: "expected an integer" },
        ]),
    ]);
    editState(JSON.stringify({ topic: "cats", count: "many" }));
    confirm();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Could not run again from here");
    expect(alert.textContent).toContain("state.count");
    expect(alert.textContent).toContain("expected an integer");
    expect(calls[0]?.body).toEqual({ task_id: TASK, state: { count: "many" } });
    expect(editor().getAttribute("aria-invalid")).toBe("true");
    expect(onStarted).not.toHaveBeenCalled();
  });

  it("gives the focus back to its button when cancelled", () => {
    renderForm([]);
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Run again from here" }));
  });
});

describe("reading a state edit", () => {
  it("sends nothing when nothing changed, and new keys as given", () => {
    expect(readStateEdit(JSON.stringify(INPUT), INPUT)).toEqual({ ok: true, state: null });
    expect(readStateEdit('{"extra": [1]}', INPUT)).toEqual({ ok: true, state: { extra: [1] } });
    expect(readStateEdit("null", INPUT)).toEqual({ ok: false, problem: "notObject" });
    expect(rerunBody(TASK, null)).toEqual({ task_id: TASK });
  });
});

describe("a record that arrives after the form opened", () => {
  it("fills the editor until the person types", () => {
    const { services, queryClient } = signedInServices(scriptedFetch({}).fetch);
    const view = (inputState: unknown) =>
      createElement(
        ServicesContext.Provider,
        { value: services },
        createElement(
          QueryClientProvider,
          { client: queryClient },
          createElement(RerunFromHere, { executionId: RUN, taskId: TASK, inputState, onStarted: () => {} }),
        ),
      );
    const { rerender } = render(view(undefined));
    fireEvent.click(screen.getByRole("button", { name: "Run again from here" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Edit the state before this step" }));
    expect((editor() as HTMLTextAreaElement).value).toBe("{}");
    rerender(view(INPUT));
    expect(JSON.parse((editor() as HTMLTextAreaElement).value)).toEqual(INPUT);
    fireEvent.change(editor(), { target: { value: '{"topic": "mine"}' } });
    rerender(view({ ...INPUT, count: 3 }));
    expect((editor() as HTMLTextAreaElement).value).toBe('{"topic": "mine"}');
  });
});
