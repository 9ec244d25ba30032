// @vitest-environment jsdom
/**
 * The admin's Budgets panel against a scripted API: each agent's and person's use this month
 * and limit, the runs waiting for budget and which budget they wait for; saving a new limit
 * sends it (PUT), says how many waiting runs go on and shows the list again; a limit above the
 * organisation's quota shows the server's reason; a typed limit that is not a number is not
 * sent. In English and Chinese. And the chat's banner while a run waits for budget.
 */

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import i18next from "i18next";
import { createElement } from "react";
import { I18nextProvider } from "react-i18next";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { BudgetsPanel } from "../src/features/admin/BudgetsPanel";
import type { BudgetsReport, BudgetWaitRun } from "../src/features/admin/budgetsApi";
import { BudgetWaitBanner } from "../src/features/chat/BudgetWaitBanner";
import { ChatStore } from "../src/features/chat/chatStore";
import { decodeFrame } from "../src/sse/runEvents";
import { INITIAL_RUN_VIEW, runReducer } from "../src/run/runView";
import { SessionStore } from "../src/session/sessionStore";
import { json, problem, scriptedFetch, type Handler } from "./helpers/http";

const HELPER = "00000000-0000-4000-8000-0000000000a1";
const ANA = "00000000-0000-4000-8000-00000000000a";

function report(agentLimit: number | null, waiting: number): BudgetsReport {
  return {
    as_of: "2030-01-10T00:00:00Z",
    period_end: "2030-02-01T00:00:00Z",
    tenant: { limit: 1_000_000, used: 5_000, reserved: 0, remaining: 995_000, waiting_runs: 0 },
    budgets: [
      {
        scope: "agent",
        subject_id: HELPER,
        subject_name: "helper",
        limit: agentLimit,
        used: 400,
        reserved: 0,
        remaining: agentLimit === null ? null : Math.max(0, agentLimit - 400),
        waiting_runs: waiting,
      },
      {
        scope: "user",
        subject_id: ANA,
        subject_name: "ana@example.com",
        limit: null,
        used: 400,
        reserved: 0,
        remaining: null,
        waiting_runs: 0,
      },
    ],
  };
}

const WAITING: BudgetWaitRun[] = [
  {
    execution_id: "e-1",
    chat_id: "c-1",
    agent_id: HELPER,
    agent_name: "helper",
    user_id: ANA,
    user_email: "ana@example.com",
    node_name: "answer",
    scope: "agent",
    subject_id: HELPER,
    since: "2030-01-10T00:00:00Z",
    period_end: "2030-02-01T00:00:00Z",
  },
];

function services(routes: Record<string, Handler[] | Handler>) {
  const tokens = new TokenStore(memoryStorage());
  tokens.set({
    access_token: "access",
    refresh_token: "refresh",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "admin",
  });
  const script = scriptedFetch(routes);
  const client = new ApiClient({ fetch: script.fetch, tokens });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const value: Services = {
    client,
    chats: new ChatStore(client),
    session: new SessionStore(client, tokens, () => {}),
    queries,
  };
  return { script, value, queries };
}

function setUp(routes: Record<string, Handler[] | Handler>, language = "en") {
  const { script, value, queries } = services(routes);
  const i18n = language === "en" ? i18next : i18next.cloneInstance({ lng: language });
  render(
    createElement(
      I18nextProvider,
      { i18n },
      createElement(
        ServicesContext.Provider,
        { value },
        createElement(QueryClientProvider, { client: queries }, createElement(BudgetsPanel)),
      ),
    ),
  );
  return script;
}

afterEach(() => cleanup());

describe("budgets panel", () => {
  it("lists budgets with this month's use and the runs waiting for one", async () => {
    setUp({
      "GET /api/v1/budgets": () => json(200, report(400, 1)),
      "GET /api/v1/budgets/waiting": () => json(200, WAITING),
    });
    const agents = await screen.findByRole("region", { name: "Agents" });
    const helper = within(agents).getByText("helper").closest("li")!;
    expect(helper.textContent).toContain("400 of 400 tokens");
    expect(helper.textContent).toContain("Used up");
    expect(helper.textContent).toContain("1 run waiting");
    const people = screen.getByRole("region", { name: "People" });
    expect(within(people).getByText("ana@example.com").closest("li")!.textContent).toContain(
      "400 tokens, no limit of its own",
    );
    const waiting = await screen.findByRole("list", { name: "Runs waiting for budget" });
    expect(waiting.textContent).toContain("waits for agent helper at answer");
    expect(screen.getByText(/Organisation: 5,000 of 1,000,000 tokens used this month/)).toBeTruthy();
  });

  it("raises a limit: the PUT carries it and the woken runs are told", async () => {
    const script = setUp({
      "GET /api/v1/budgets": [() => json(200, report(400, 1)), () => json(200, report(5000, 0))],
      "GET /api/v1/budgets/waiting": [() => json(200, WAITING), () => json(200, [])],
      [`PUT /api/v1/budgets/agents/${HELPER}`]: () => json(200, { budget: report(5000, 0).budgets[0], woken_runs: 1 }),
    });
    const form = await screen.findByRole("form", { name: "Budget of helper" });
    fireEvent.change(within(form).getByLabelText("Monthly limit"), { target: { value: "5,000" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await screen.findByText("No run waits for budget.");
    const put = script.calls.find((call) => call.method === "PUT");
    expect(put?.body).toEqual({ max_tokens_per_month: 5000 });
    await screen.findByText("400 of 5,000 tokens");
    expect(screen.getByRole("status").textContent).toBe("1 waiting run goes on.");
  });

  it("removes a limit with an empty field, refuses what is not a number, shows the server's reason", async () => {
    const script = setUp({
      "GET /api/v1/budgets": () => json(200, report(400, 0)),
      "GET /api/v1/budgets/waiting": () => json(200, []),
      [`PUT /api/v1/budgets/agents/${HELPER}`]: [
        () => problem(422, "a budget of 2000000 tokens exceeds the tenant's monthly quota of 1000000"),
        () => json(200, { budget: report(null, 0).budgets[0], woken_runs: 0 }),
      ],
    });
    const form = await screen.findByRole("form", { name: "Budget of helper" });
    const input = within(form).getByLabelText("Monthly limit");
    fireEvent.change(input, { target: { value: "lots" } });
    expect(screen.getByText("A whole number of tokens, or empty for no limit.")).toBeTruthy();
    expect((within(form).getByRole("button", { name: "Save" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(input, { target: { value: "2000000" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("alert")).textContent).toContain("exceeds the tenant's monthly quota");
    fireEvent.change(input, { target: { value: "" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(script.calls.filter((call) => call.method === "PUT")).toHaveLength(2));
    expect(script.calls.filter((call) => call.method === "PUT").map((call) => call.body)).toEqual([
      { max_tokens_per_month: 2000000 },
      { max_tokens_per_month: null },
    ]);
  });

  it("speaks Chinese", async () => {
    setUp(
      {
        "GET /api/v1/budgets": () => json(200, report(400, 1)),
        "GET /api/v1/budgets/waiting": () => json(200, WAITING),
      },
      "zh-CN",
    );
    expect(await screen.findByRole("heading", { name: "额度" })).toBeTruthy();
    expect(await screen.findByRole("heading", { name: "等待额度的运行" })).toBeTruthy();
    expect(screen.getByText("已用完")).toBeTruthy();
    expect(screen.getAllByLabelText("每月上限").length).toBe(2);
  });
});

describe("the chat's budget banner", () => {
  const frames = [
    {
      id: "3",
      event: "waiting_for_budget",
      data: JSON.stringify({ node: "answer", scope: "agent", period_end: "2030-02-01T00:00:00Z" }),
    },
    { id: "4", event: "budget_available", data: JSON.stringify({ node: "answer", reason: "budget_changed" }) },
  ];

  it("a run waiting for budget is waiting, and goes on when the budget is available", () => {
    const waiting = runReducer({ ...INITIAL_RUN_VIEW, phase: "streaming" }, decodeFrame(frames[0]!));
    expect(waiting.phase).toBe("waiting");
    expect(waiting.budget).toEqual({ node: "answer", scope: "agent", periodEnd: "2030-02-01T00:00:00Z" });
    const going = runReducer(waiting, decodeFrame(frames[1]!));
    expect(going.phase).toBe("streaming");
    expect(going.budget).toBeNull();
  });

  it("says which budget ran out, in English and Chinese", async () => {
    const budget = { node: "answer", scope: "agent", periodEnd: "2030-02-01T00:00:00Z" };
    render(createElement(I18nextProvider, { i18n: i18next }, createElement(BudgetWaitBanner, { budget })));
    expect(screen.getByRole("status").textContent).toContain("This agent's monthly token budget is used up.");
    expect(screen.getByRole("status").textContent).toContain("paused, not failed");
    cleanup();
    const zh = i18next.cloneInstance({ lng: "zh-CN" });
    render(createElement(I18nextProvider, { i18n: zh }, createElement(BudgetWaitBanner, { budget })));
    expect(screen.getByRole("status").textContent).toContain("该智能体本月的 token 额度已用完。");
  });
});
