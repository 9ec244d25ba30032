// @vitest-environment jsdom
/**
 * The store's category tree and tag filters as a person uses them: picking a category puts it in
 * the URL and the list request asks for it, a tag on a card filters by that tag, a chip removes
 * its filter, Back undoes the last change; and the pure helpers behind the URL.
 */

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createElement, type ReactNode } from "react";
import { MemoryRouter, useLocation, useNavigate } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import type { AgentSummary } from "../src/api/types";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { ChatStore } from "../src/features/chat/chatStore";
import { categoryPath, patchParams, readFilter, storeHref, type CategoryNode } from "../src/features/store/filters";
import { StorePage } from "../src/features/store/StorePage";
import { SessionStore } from "../src/session/sessionStore";
import { json, scriptedFetch, type RecordedCall } from "./helpers/http";

const WRITING = "c-writing";
const category = (id: string, name: string, parent_id: string | null, children: CategoryNode[] = []): CategoryNode => ({
  id,
  name,
  description: null,
  parent_id,
  shared: true,
  children,
});
const TREE: CategoryNode[] = [
  category("c-productivity", "Productivity", null, [
    { ...category(WRITING, "Writing", "c-productivity"), description: "Drafts and edits" },
    category("c-research", "Research", "c-productivity"),
  ]),
  category("c-engineering", "Engineering", null),
];

const agent = (id: string, name: string, tags: string[]): AgentSummary => ({
  id,
  name,
  description: null,
  category_id: null,
  current_version: { id: `${id}-v1`, version: "1.0.0" },
  average_rating: null,
  download_count: 0,
  published_at: "2030-06-01T10:00:00Z",
  tags,
});

const AGENTS = [agent("a1", "Support triage", ["support", "router"]), agent("a2", "Draft writer", ["writing"])];

/** The query of every list request, in order. */
function listQueries(calls: RecordedCall[]): URLSearchParams[] {
  return calls
    .filter((call) => call.url.split("?")[0] === "/api/v1/agents")
    .map((call) => new URLSearchParams(call.url.split("?")[1] ?? ""));
}

function setUp(path = "/store") {
  const tokens = new TokenStore(memoryStorage());
  tokens.set({
    access_token: "access",
    refresh_token: "refresh",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "user",
  });
  const script = scriptedFetch({
    "GET /api/v1/categories": () => json(200, TREE),
    // The server filters; the double answers with every agent and the test reads the requests.
    "GET /api/v1/agents": () => json(200, { items: AGENTS, total: AGENTS.length, limit: 100, offset: 0 }),
  });
  const client = new ApiClient({ fetch: script.fetch, tokens });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const services: Services = {
    client,
    chats: new ChatStore(client),
    session: new SessionStore(client, tokens, () => {}),
    queries,
  };
  render(
    createElement(
      ServicesContext.Provider,
      { value: services },
      createElement(
        QueryClientProvider,
        { client: queries },
        createElement(MemoryRouter, { initialEntries: [path] }, createElement(StorePage), createElement(Probe)),
      ),
    ),
  );
  return script;
}

/** Shows the current URL and offers the browser's Back button. */
function Probe(): ReactNode {
  const location = useLocation();
  const navigate = useNavigate();
  return createElement(
    "div",
    null,
    createElement("output", { "data-testid": "url" }, `${location.pathname}${location.search}`),
    createElement("button", { type: "button", onClick: () => void navigate(-1) }, "Browser back"),
  );
}

const url = () => new URL(screen.getByTestId("url").textContent ?? "", "http://x");

afterEach(cleanup);

describe("store filters", () => {
  it("a category from the tree lands in the URL and in the list request, highlighted and removable", async () => {
    const { calls } = setUp();
    const tree = await screen.findByRole("navigation", { name: "Categories" });
    expect(within(tree).getByRole("link", { name: "All categories" }).getAttribute("aria-current")).toBe("true");
    const toggle = await within(tree).findByRole("button", { name: "Sub-categories of Productivity" });
    // Sub-categories are folded until their parent is opened.
    expect(within(tree).queryByRole("link", { name: "Writing" })).toBeNull();
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");

    fireEvent.click(within(tree).getByRole("link", { name: "Writing" }));
    expect(url().searchParams.get("category")).toBe(WRITING);
    await waitFor(() => expect(listQueries(calls).at(-1)?.get("category_id")).toBe(WRITING));
    expect(within(tree).getByRole("link", { name: "Writing" }).getAttribute("aria-current")).toBe("true");
    expect(within(tree).getByRole("link", { name: "All categories" }).getAttribute("aria-current")).toBeNull();
    // The phone's disclosure is named after the choice.
    expect(screen.getByRole("button", { name: "Category: Writing" })).toBeTruthy();

    const filters = screen.getByRole("group", { name: "Active filters" });
    fireEvent.click(within(filters).getByRole("button", { name: /Category: Writing/ }));
    expect(url().searchParams.has("category")).toBe(false);
    await waitFor(() => expect(listQueries(calls).at(-1)?.has("category_id")).toBe(false));
  });

  it("opens the tree at the category a shared link names", async () => {
    setUp(`/store?category=${WRITING}`);
    const tree = await screen.findByRole("navigation", { name: "Categories" });
    const writing = await within(tree).findByRole("link", { name: "Writing" });
    expect(writing.getAttribute("aria-current")).toBe("true");
    expect(
      within(tree).getByRole("button", { name: "Sub-categories of Productivity" }).getAttribute("aria-expanded"),
    ).toBe("true");
  });

  it("a tag on a card filters by it, keeps the category, and Back undoes it", async () => {
    const { calls } = setUp(`/store?category=${WRITING}`);
    const card = (await screen.findByRole("link", { name: "Support triage" })).closest("li")!;
    fireEvent.click(within(card as HTMLElement).getByRole("link", { name: "Agents tagged support" }));
    expect(url().searchParams.get("tag")).toBe("support");
    expect(url().searchParams.get("category")).toBe(WRITING);
    await waitFor(() => {
      const last = listQueries(calls).at(-1);
      expect(last?.get("tag")).toBe("support");
      expect(last?.get("category_id")).toBe(WRITING);
    });
    const chip = screen.getByRole("button", { name: /Tag: support/ });

    fireEvent.click(screen.getByRole("button", { name: "Browser back" }));
    expect(url().searchParams.has("tag")).toBe(false);
    expect(url().searchParams.get("category")).toBe(WRITING);
    expect(chip.isConnected).toBe(false);
  });

  it("the search keeps the filters beside it", async () => {
    const { calls } = setUp("/store?tag=support");
    const box = await screen.findByRole("searchbox", { name: "Search the store" });
    fireEvent.change(box, { target: { value: "triage" } });
    await act(() => new Promise((resolve) => setTimeout(resolve, 350)));
    expect(url().searchParams.get("q")).toBe("triage");
    expect(url().searchParams.get("tag")).toBe("support");
    await waitFor(() => expect(listQueries(calls).at(-1)?.get("q")).toBe("triage"));
    expect(listQueries(calls).at(-1)?.get("tag")).toBe("support");
  });
});

describe("store filter helpers", () => {
  it("reads, patches and writes the URL's filter without touching other keys", () => {
    expect(readFilter(new URLSearchParams("q=%20a%20&tag=x"))).toEqual({ q: "a", category: "", tag: "x" });
    const next = patchParams(new URLSearchParams("tag=x&page=2"), { tag: "", category: "c1" });
    expect(next.toString()).toBe("page=2&category=c1");
    expect(storeHref()).toBe("/store");
    expect(storeHref({ tag: "客服", q: "" })).toBe("/store?tag=%E5%AE%A2%E6%9C%8D");
  });

  it("finds the chain of categories down to one", () => {
    expect(categoryPath(TREE, WRITING).map((node) => node.name)).toEqual(["Productivity", "Writing"]);
    expect(categoryPath(TREE, "nope")).toEqual([]);
  });
});
