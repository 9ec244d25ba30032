// @vitest-environment jsdom
/**
 * An agent's usage statistics on its Studio page, from a mocked `GET …/stats`: the totals as
 * figures in the reader's locale, one bar per day with an accessible summary and a table, the
 * 7/30/90-day switch asking for its window, and an empty window saying so (in English and Chinese).
 */

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import i18next from "i18next";
import { createElement } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { ChatStore } from "../src/features/chat/chatStore";
import type { AgentDayStats, AgentStats } from "../src/features/studio/stats/api";
import { AgentStatsPanel } from "../src/features/studio/stats/AgentStatsPanel";
import { busiestDay, chartMax, failureRate } from "../src/features/studio/stats/format";
import { SessionStore } from "../src/session/sessionStore";
import { json, scriptedFetch, type RecordedCall } from "./helpers/http";

const AGENT = "agent-1";

const day = (d: string, patch: Partial<AgentDayStats> = {}): AgentDayStats => ({
  day: d,
  runs: 0,
  users: 0,
  failures: 0,
  tokens: 0,
  ratings: 0,
  average_rating: null,
  ...patch,
});

const BUSY: AgentStats = {
  agent_id: AGENT,
  since: "2030-06-01",
  days: [
    day("2030-06-01", { runs: 4, users: 2, failures: 1, tokens: 1_000 }),
    day("2030-06-02"),
    day("2030-06-03", { runs: 8, users: 3, failures: 2, tokens: 44_600, ratings: 2, average_rating: "4.50" }),
  ],
  runs: 12,
  users: 4,
  failures: 3,
  tokens: 45_600,
  average_rating: "4.25",
  rating_count: 1_234,
};

const quiet = (days: number): AgentStats => ({
  agent_id: AGENT,
  since: "2030-06-01",
  days: Array.from({ length: days }, (_, i) => day(`2030-06-${String(i + 1).padStart(2, "0")}`)),
  runs: 0,
  users: 0,
  failures: 0,
  tokens: 0,
  average_rating: null,
  rating_count: 0,
});

function setUp() {
  const tokens = new TokenStore(memoryStorage());
  tokens.set({
    access_token: "access",
    refresh_token: "refresh",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "developer",
  });
  const script = scriptedFetch({
    [`GET /api/v1/developer/agents/${AGENT}/stats`]: (call: RecordedCall) => {
      const days = Number(new URL(call.url, "http://x").searchParams.get("days"));
      return json(200, days === 30 ? BUSY : quiet(days));
    },
  });
  const client = new ApiClient({ fetch: script.fetch, tokens });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const services: Services = {
    client,
    chats: new ChatStore(client),
    session: new SessionStore(client, tokens, () => {}),
    queries,
  };
  const view = render(
    createElement(
      ServicesContext.Provider,
      { value: services },
      createElement(QueryClientProvider, { client: queries }, createElement(AgentStatsPanel, { agentId: AGENT })),
    ),
  );
  return { ...script, view };
}

/** The figure under a heading, as a person reads it ("Runs" → "12"). */
function figure(panel: HTMLElement, name: string): string {
  const term = within(panel).getByText(name, { selector: "dt" });
  return term.parentElement?.textContent?.replace(name, "").trim() ?? "";
}

afterEach(async () => {
  cleanup();
  await i18next.changeLanguage("en");
});

describe("agent usage statistics", () => {
  it("shows the last 30 days' totals and one bar per day, with a text alternative", async () => {
    const { calls, view } = setUp();
    const panel = screen.getByRole("region", { name: "Usage" });
    await within(panel).findByText("12", { selector: "dd" });
    expect(calls[0]?.url).toBe(`/api/v1/developer/agents/${AGENT}/stats?days=30`);
    expect(screen.getByRole("button", { name: "30 days" }).getAttribute("aria-pressed")).toBe("true");

    expect(figure(panel, "Runs")).toBe("12");
    expect(figure(panel, "Users")).toBe("4");
    expect(figure(panel, "Failure rate")).toBe("25%3 failed runs");
    expect(figure(panel, "Tokens")).toBe("45.6K");
    expect(figure(panel, "Average rating (all time)")).toBe("4.3 ★1,234 ratings");
    expect(within(panel).getByText(/Since Sat, Jun 1, 2030/)).toBeTruthy();

    const chart = within(panel).getByRole("img");
    expect(chart.getAttribute("aria-label")).toBe(
      "Runs per day from Sat, Jun 1, 2030 to Mon, Jun 3, 2030: 12 in all, 3 failed; " +
        "the busiest day was Mon, Jun 3, 2030 with 8.",
    );
    const bars = Array.from(view.container.querySelectorAll<HTMLElement>("[data-day]"));
    expect(bars.map((bar) => bar.dataset.day)).toEqual(["2030-06-01", "2030-06-02", "2030-06-03"]);
    const heights = bars.map((bar) => bar.querySelector<HTMLElement>(".stats-bar-runs")?.style.height);
    expect(heights).toEqual(["50%", "0%", "100%"]);
    expect(bars[2]?.getAttribute("title")).toBe("Mon, Jun 3, 2030: 8 runs, 2 failed");

    // The table lists the days with something in them.
    const table = within(panel).getByRole("table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      "Sat, Jun 1, 2030421" + "1,000" + "—",
      "Mon, Jun 3, 2030832" + "44,600" + "4.5 ★ (2)",
    ]);
  });

  it("asks for the window picked and says when nothing ran in it", async () => {
    const { calls } = setUp();
    const panel = screen.getByRole("region", { name: "Usage" });
    await within(panel).findByRole("img");
    fireEvent.click(screen.getByRole("button", { name: "7 days" }));
    await within(panel).findByText("No runs in the last 7 days.");
    expect(calls.at(-1)?.url).toBe(`/api/v1/developer/agents/${AGENT}/stats?days=7`);
    expect(screen.getByRole("button", { name: "7 days" }).getAttribute("aria-pressed")).toBe("true");
    expect(within(panel).queryByRole("img")).toBeNull();
    expect(within(panel).queryByRole("table")).toBeNull();
    expect(figure(panel, "Runs")).toBe("0");
    expect(figure(panel, "Failure rate")).toBe("—0 failed runs");
    expect(figure(panel, "Average rating (all time)")).toBe("No ratings yet0 ratings");
  });

  it("speaks Chinese", async () => {
    await i18next.changeLanguage("zh-CN");
    setUp();
    const panel = screen.getByRole("region", { name: "使用情况" });
    await within(panel).findByRole("img");
    expect(figure(panel, "失败率")).toBe("25%失败 3 次");
    expect(figure(panel, "平均评分（全部）")).toBe("4.3 ★1,234 个评分");
    fireEvent.click(screen.getByRole("button", { name: "90 天" }));
    await waitFor(() => expect(within(panel).getByText("近 90 天没有运行。")).toBeTruthy());
  });
});

describe("statistics helpers", () => {
  it("derive the failure rate and the chart's scale", () => {
    expect(failureRate({ runs: 0, failures: 0 })).toBeNull();
    expect(failureRate({ runs: 8, failures: 2 })).toBe(0.25);
    expect(chartMax([day("2030-06-01")])).toBe(1);
    expect(busiestDay(BUSY.days)?.day).toBe("2030-06-03");
    expect(busiestDay(quiet(3).days)).toBeNull();
  });
});
