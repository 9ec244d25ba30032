// @vitest-environment jsdom
/**
 * A task with an approval policy against a scripted API: its page shows the stage, the quorum,
 * the tally, who answered how and what is still needed; the answer form only while the caller
 * may answer; answering refreshes the tally; delegating sends the chosen person. The inbox
 * table shows the tally as a badge. In English and Chinese.
 */

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import i18next from "i18next";
import { createElement, type ReactElement } from "react";
import { I18nextProvider } from "react-i18next";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import type { ApprovalTaskDetail, TaskAnswer } from "../src/api/approvals";
import { ApiClient } from "../src/api/client";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { ChatStore } from "../src/features/chat/chatStore";
import { InboxPage } from "../src/features/inbox/InboxPage";
import { TaskPage } from "../src/features/inbox/TaskPage";
import { TaskTable } from "../src/features/inbox/TaskTable";
import { SessionStore } from "../src/session/sessionStore";
import { json, problem, scriptedFetch, type Handler } from "./helpers/http";

const ME = "00000000-0000-4000-8000-00000000000b";
const ANA = "00000000-0000-4000-8000-00000000000a";
const CAI = "00000000-0000-4000-8000-00000000000c";
const TASK_PATH = "/api/v1/reviews/tasks/t-1";

/** The people directory: anyone signed in may search it. */
const PEOPLE = {
  items: [
    { id: ME, email: "me@example.com", display_name: null, role: "reviewer" },
    { id: CAI, email: "cai@example.com", display_name: "Cai Wu", role: "reviewer" },
  ],
  total: 2,
  limit: 20,
  offset: 0,
};

const anaAnswer: TaskAnswer = {
  by: ANA,
  by_name: "Ana Li",
  on_behalf_of: CAI,
  agreed: true,
  input: { approved: true },
  note: "Budget checked",
  at: "2030-01-01T09:00:00Z",
};

function task(overrides: Partial<ApprovalTaskDetail> = {}): ApprovalTaskDetail {
  return {
    task_id: "t-1",
    execution_id: "e-1",
    agent_id: "a-1",
    node_name: "approve",
    instruction: "Approve the purchase",
    status: "pending",
    priority: 5,
    assigned_to: null,
    assigned_at: null,
    due_at: null,
    created_at: "2030-01-01T08:00:00Z",
    completed_at: null,
    current_state: {},
    required_input_schema: {
      type: "object",
      required: ["approved"],
      properties: { approved: { type: "boolean" }, comment: { type: "string" } },
    },
    human_input: null,
    completion_note: null,
    deadline_policy: null,
    escalation_history: [],
    policy: {
      stage: 0,
      stage_name: "Finance",
      stages: 2,
      quorum: 2,
      of: 3,
      assignees: { roles: ["admin"], groups: ["finance"], users: ["cai@example.com"] },
      delegations: [{ from: "cai@example.com", to: "ana@example.com" }],
    },
    agreements: 1,
    disagreements: 0,
    still_needed: 1,
    answers: [anaAnswer],
    can_answer: true,
    ...overrides,
  };
}

function setUp(routes: Record<string, Handler[] | Handler>, element: ReactElement, language = "en", role = "reviewer") {
  const tokens = new TokenStore(memoryStorage());
  tokens.set({
    access_token: "access",
    refresh_token: "refresh",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "reviewer",
  });
  const script = scriptedFetch({
    "GET /api/auth/me": () => json(200, { id: ME, email: "me@example.com", role, tenant_name: "demo" }),
    ...routes,
  });
  const client = new ApiClient({ fetch: script.fetch, tokens });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const session = new SessionStore(client, tokens, () => {});
  void session.restore();
  const services: Services = { client, chats: new ChatStore(client), session, queries };
  const i18n = language === "en" ? i18next : i18next.cloneInstance({ lng: language });
  render(
    createElement(
      I18nextProvider,
      { i18n },
      createElement(
        ServicesContext.Provider,
        { value: services },
        createElement(QueryClientProvider, { client: queries }, createElement(MemoryRouter, null, element)),
      ),
    ),
  );
  return script;
}

const page = () => createElement(TaskPage, { taskId: "t-1" });

afterEach(() => cleanup());

describe("a policy task's page", () => {
  it("shows the stage, quorum, tally, answers, assignees and delegations", async () => {
    setUp({ [`GET ${TASK_PATH}`]: () => json(200, task()) }, page());
    const approval = await screen.findByRole("region", { name: "Approval" });
    const text = approval.textContent ?? "";
    expect(text).toContain("Stage 1 of 2 · Finance");
    expect(text).toContain("2 of 3 must agree");
    expect(screen.getByTestId("approval-tally").textContent).toBe("1 of 2 approvals");
    expect(within(approval).getByRole("status").textContent).toBe("1 more approval needed");
    const answer = within(approval).getByText("Ana Li").closest("li")!;
    expect(answer.textContent).toContain("agreed");
    expect(answer.textContent).toContain("Budget checked");
    expect(answer.textContent).toContain(`on behalf of ${CAI}`);
    expect(text).toContain("Role admin");
    expect(text).toContain("Group finance");
    expect(text).toContain("Person cai@example.com");
    expect(text).toContain("cai@example.com → ana@example.com");
    // A policy task is not claimed: each assignee answers.
    expect(screen.queryByRole("button", { name: "Claim" })).toBeNull();
    expect(screen.getByRole("button", { name: "Send answer" })).toBeTruthy();
    expect(within(approval).getByRole("button", { name: "Delegate" })).toBeTruthy();
  });

  it("names the people of delegations and 'on behalf of' with the names the server gives", async () => {
    const named = task({
      policy: { ...task().policy!, delegations: [{ from: CAI, to: ME, from_name: "Cai Wen", to_name: "Me" }] },
      answers: [{ ...anaAnswer, on_behalf_of: CAI, on_behalf_of_name: "Cai Wen" }],
    });
    setUp({ [`GET ${TASK_PATH}`]: () => json(200, named) }, page());
    const approval = await screen.findByRole("region", { name: "Approval" });
    const answer = within(approval).getByText("Ana Li").closest("li")!;
    expect(answer.textContent).toContain("on behalf of Cai Wen");
    expect(approval.textContent).toContain("Cai Wen →");
    expect(approval.textContent).not.toContain(CAI);
  });

  it("says '2 must agree' for a stage of roles or groups, and offers no form to someone who may not answer", async () => {
    const closed = task({
      can_answer: false,
      policy: { ...task().policy!, of: null, stages: 1, stage_name: null },
    });
    setUp({ [`GET ${TASK_PATH}`]: () => json(200, closed) }, page());
    const approval = await screen.findByRole("region", { name: "Approval" });
    expect(approval.textContent).toContain("Stage 1 of 1");
    expect(approval.textContent).toContain("2 must agree");
    expect(approval.textContent).not.toContain("of 3");
    expect(screen.queryByRole("button", { name: "Send answer" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Delegate" })).toBeNull();
  });

  it("after answering shows the caller's answer and the new tally", async () => {
    const mine: TaskAnswer = { ...anaAnswer, by: ME, by_name: "Me", on_behalf_of: null, note: null };
    const after = task({
      status: "in_progress",
      agreements: 2,
      still_needed: 0,
      answers: [anaAnswer, mine],
      can_answer: false,
    });
    const script = setUp(
      {
        [`GET ${TASK_PATH}`]: [() => json(200, task()), () => json(200, after), () => json(200, after)],
        [`POST ${TASK_PATH}/complete`]: () =>
          json(200, {
            task_id: "t-1",
            status: "pending",
            completed_by: ME,
            completed_at: "2030-01-01T10:00:00Z",
            decided: false,
            agreements: 2,
            still_needed: 0,
          }),
        "GET /api/v1/reviews/tasks": () => json(200, { items: [], total: 0, limit: 100, offset: 0 }),
      },
      page(),
    );
    await screen.findByRole("button", { name: "Send answer" });
    fireEvent.click(screen.getByRole("radio", { name: "Yes" }));
    fireEvent.click(screen.getByRole("button", { name: "Send answer" }));
    await waitFor(() => expect(screen.getByTestId("approval-tally").textContent).toBe("2 of 2 approvals"));
    const post = script.calls.find((call) => call.method === "POST");
    expect(post?.body).toEqual({ input: { approved: true } });
    expect(screen.getByText("You agreed.")).toBeTruthy();
    expect(screen.getByText("Your answer is recorded; the task waits for the others.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Send answer" })).toBeNull();
    expect(screen.getAllByText("You").length).toBeGreaterThan(0);
    // Answered by some, claimed by nobody.
    expect(screen.getByText("being answered")).toBeTruthy();
    expect(screen.queryByText("claimed")).toBeNull();
  });

  it("delegates to a person picked from the tenant's users, with a note", async () => {
    const delegated = task({ can_answer: false });
    const script = setUp(
      {
        [`GET ${TASK_PATH}`]: [() => json(200, task()), () => json(200, delegated)],
        "GET /api/v1/people": () => json(200, PEOPLE),
        [`POST ${TASK_PATH}/delegate`]: () => json(200, delegated),
        "GET /api/v1/reviews/tasks": () => json(200, { items: [], total: 0, limit: 100, offset: 0 }),
      },
      page(),
    );
    fireEvent.click(await screen.findByRole("button", { name: "Delegate" }));
    // The caller is not offered to themselves.
    fireEvent.click(await screen.findByRole("button", { name: "Choose Cai Wu <cai@example.com>" }));
    expect(screen.queryByRole("button", { name: /Choose me@example.com/ })).toBeNull();
    const form = screen.getByRole("form", { name: "Delegate your part" });
    fireEvent.change(within(form).getByLabelText("Note (optional)"), { target: { value: "I am away" } });
    fireEvent.click(within(form).getByRole("button", { name: "Delegate" }));
    await screen.findByText("Delegated.");
    const post = script.calls.find((call) => call.method === "POST");
    expect(post?.url).toBe(`${TASK_PATH}/delegate`);
    expect(post?.body).toEqual({ to_user_id: CAI, note: "I am away" });
    await waitFor(() => expect(screen.queryByRole("button", { name: "Send answer" })).toBeNull());
  });

  it("shows the server's refusal of a delegation", async () => {
    setUp(
      {
        [`GET ${TASK_PATH}`]: () => json(200, task()),
        "GET /api/v1/people": () => json(200, PEOPLE),
        [`POST ${TASK_PATH}/delegate`]: () => problem(409, "You have already answered this task."),
        "GET /api/v1/reviews/tasks": () => json(200, { items: [], total: 0, limit: 100, offset: 0 }),
      },
      page(),
    );
    fireEvent.click(await screen.findByRole("button", { name: "Delegate" }));
    fireEvent.click(await screen.findByRole("button", { name: "Choose Cai Wu <cai@example.com>" }));
    const form = screen.getByRole("form", { name: "Delegate your part" });
    fireEvent.click(within(form).getByRole("button", { name: "Delegate" }));
    expect((await within(form).findByRole("alert")).textContent).toContain("You have already answered this task.");
  });

  it("speaks Chinese", async () => {
    setUp({ [`GET ${TASK_PATH}`]: () => json(200, task()) }, page(), "zh-CN");
    const approval = await screen.findByRole("region", { name: "审批" });
    expect(approval.textContent).toContain("第 1 / 2 阶段 · Finance");
    expect(approval.textContent).toContain("3 人中需 2 人同意");
    expect(screen.getByTestId("approval-tally").textContent).toBe("已同意 1 / 2");
    expect(within(approval).getByRole("status").textContent).toBe("还需 1 人同意");
    expect(within(approval).getByRole("button", { name: "委托" })).toBeTruthy();
  });
});

describe("the inbox table", () => {
  it("shows a policy task's stage and tally, and nothing of the kind for a plain task", () => {
    const plain = task({ task_id: "t-2", instruction: "Plain", policy: null, still_needed: null, agreements: 0 });
    setUp({}, createElement(TaskTable, { tasks: [task(), plain], myId: ME, now: Date.now() }));
    const rows = screen.getAllByRole("row");
    expect(rows[1]!.textContent).toContain("Stage 1 of 2 · Finance");
    expect(rows[1]!.textContent).toContain("1/2 agreed");
    expect(rows[2]!.textContent).not.toContain("agreed");
  });
});

describe("the inbox of someone who is not a reviewer", () => {
  it("lists the approvals that ask them, without the store submissions tab", async () => {
    const tasks = { items: [task()], total: 1, limit: 100, offset: 0 };
    setUp({ "GET /api/v1/reviews/tasks": () => json(200, tasks) }, createElement(InboxPage), "en", "user");
    await screen.findByText("Approve the purchase");
    await waitFor(() => expect(screen.queryByRole("link", { name: "Submissions" })).toBeNull());
    expect(screen.getByText(/Approvals that ask you/)).toBeTruthy();
  });

  it("keeps the submissions tab for a reviewer", async () => {
    const tasks = { items: [task()], total: 1, limit: 100, offset: 0 };
    setUp({ "GET /api/v1/reviews/tasks": () => json(200, tasks) }, createElement(InboxPage));
    await screen.findByText("Approve the purchase");
    expect(screen.getByRole("link", { name: "Submissions" })).toBeTruthy();
  });
});
