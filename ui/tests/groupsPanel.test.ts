// @vitest-environment jsdom
/**
 * The admin's Groups tab against a scripted API: the list shows each group with its members;
 * a new group sends its name, description and the picked members; editing replaces them (PUT);
 * deleting asks first; a refused name shows the server's reason. In English and Chinese.
 */

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import i18next from "i18next";
import { createElement } from "react";
import { I18nextProvider } from "react-i18next";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import type { UserGroup } from "../src/api/groups";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { ChatStore } from "../src/features/chat/chatStore";
import { GroupsPanel } from "../src/features/admin/GroupsPanel";
import { SessionStore } from "../src/session/sessionStore";
import { json, problem, scriptedFetch, type Handler } from "./helpers/http";

const ANA = "00000000-0000-4000-8000-00000000000a";
const CAI = "00000000-0000-4000-8000-00000000000c";

const ANA_LI = { id: ANA, email: "ana@example.com", display_name: "Ana Li", role: "reviewer" };
const CAI_WU = { id: CAI, email: "cai@example.com", display_name: null, role: "reviewer" };

const FINANCE: UserGroup = {
  id: "g-1",
  name: "finance",
  description: "Signs off spending",
  created_at: "2030-01-01T00:00:00Z",
  members: [ANA_LI],
};

const PEOPLE = { items: [ANA_LI, CAI_WU], total: 2, limit: 20, offset: 0 };

const page = (items: UserGroup[]) => json(200, { items, total: items.length, limit: 50, offset: 0 });

beforeAll(() => {
  // jsdom has no modal dialogs: open and close set the attribute, as a browser does.
  Object.assign(HTMLDialogElement.prototype, {
    showModal(this: HTMLDialogElement) {
      this.setAttribute("open", "");
    },
    close(this: HTMLDialogElement) {
      this.removeAttribute("open");
    },
  });
});

function setUp(routes: Record<string, Handler[] | Handler>, language = "en") {
  const tokens = new TokenStore(memoryStorage());
  tokens.set({
    access_token: "access",
    refresh_token: "refresh",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "admin",
  });
  const script = scriptedFetch({ "GET /api/v1/people": () => json(200, PEOPLE), ...routes });
  const client = new ApiClient({ fetch: script.fetch, tokens });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const services: Services = {
    client,
    chats: new ChatStore(client),
    session: new SessionStore(client, tokens, () => {}),
    queries,
  };
  const i18n = language === "en" ? i18next : i18next.cloneInstance({ lng: language });
  render(
    createElement(
      I18nextProvider,
      { i18n },
      createElement(
        ServicesContext.Provider,
        { value: services },
        createElement(QueryClientProvider, { client: queries }, createElement(GroupsPanel)),
      ),
    ),
  );
  return script;
}

afterEach(() => cleanup());

describe("groups panel", () => {
  it("lists groups with their members", async () => {
    setUp({ "GET /api/v1/groups": () => page([FINANCE]) });
    const card = (await screen.findByRole("heading", { name: "finance" })).closest("li")!;
    expect(card.textContent).toContain("Signs off spending");
    expect(card.textContent).toContain("1 member");
    expect(card.textContent).toContain("Ana Li");
  });

  it("creates a group with the picked members", async () => {
    const created = { ...FINANCE, id: "g-2", name: "legal", description: null, members: [CAI_WU] };
    const script = setUp({
      "GET /api/v1/groups": [() => page([]), () => page([created])],
      "POST /api/v1/groups": () => json(201, created),
    });
    await screen.findByText("No groups yet.");
    fireEvent.click(screen.getByRole("button", { name: "New group" }));
    const form = screen.getByRole("form", { name: "New group" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: " legal " } });
    fireEvent.click(await within(form).findByRole("button", { name: "Choose cai@example.com" }));
    expect(within(form).getByRole("list", { name: "Chosen" }).textContent).toContain("cai@example.com");
    fireEvent.click(within(form).getByRole("button", { name: "Create group" }));
    await screen.findByRole("heading", { name: "legal" });
    const post = script.calls.find((call) => call.method === "POST");
    expect(post?.body).toEqual({ name: "legal", description: null, member_ids: [CAI] });
    expect(screen.queryByRole("form", { name: "New group" })).toBeNull();
  });

  it("edits a group: the PUT carries the new name and members", async () => {
    const changed = { ...FINANCE, name: "finance-eu", members: [CAI_WU] };
    const script = setUp({
      "GET /api/v1/groups": [() => page([FINANCE]), () => page([changed])],
      "PUT /api/v1/groups/g-1": () => json(200, changed),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Edit group finance" }));
    const form = screen.getByRole("form", { name: "Edit finance" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "finance-eu" } });
    fireEvent.click(within(form).getByRole("button", { name: "Remove Ana Li <ana@example.com>" }));
    fireEvent.click(await within(form).findByRole("button", { name: "Choose cai@example.com" }));
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await screen.findByRole("heading", { name: "finance-eu" });
    const put = script.calls.find((call) => call.method === "PUT");
    expect(put?.body).toEqual({ name: "finance-eu", description: "Signs off spending", member_ids: [CAI] });
  });

  it("deletes after asking, and shows why a save was refused", async () => {
    const script = setUp({
      "GET /api/v1/groups": [() => page([FINANCE]), () => page([])],
      "POST /api/v1/groups": () => problem(409, "A group named finance already exists."),
      "DELETE /api/v1/groups/g-1": () => new Response(null, { status: 204 }),
    });
    await screen.findByRole("heading", { name: "finance" });
    fireEvent.click(screen.getByRole("button", { name: "New group" }));
    const form = screen.getByRole("form", { name: "New group" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "finance" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create group" }));
    expect((await within(form).findByRole("alert")).textContent).toContain("already exists");
    fireEvent.click(screen.getByRole("button", { name: "Delete group finance" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete this group?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete group" }));
    await screen.findByText("No groups yet.");
    await waitFor(() =>
      expect(script.calls.some((call) => call.method === "DELETE" && call.url === "/api/v1/groups/g-1")).toBe(true),
    );
  });

  it("speaks Chinese", async () => {
    setUp({ "GET /api/v1/groups": () => page([FINANCE]) }, "zh-CN");
    await screen.findByRole("heading", { name: "finance" });
    expect(screen.getByRole("heading", { name: "用户组" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "新建用户组" })).toBeTruthy();
    expect(screen.getByText("1 名成员")).toBeTruthy();
  });
});
