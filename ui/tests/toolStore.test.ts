// @vitest-environment jsdom
/**
 * The tool store page against a scripted API: entries with their tags (a click filters), the
 * install dialog built from the entry's parameters and credentials (masked, checked before
 * sending, never kept), the installed state with discovery status and tools, and an uninstall
 * the server refuses while agents use the tools (the list shown, then forced).
 */

import { QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createElement } from "react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ServicesContext } from "../src/app/context";
import type { StoreEntry } from "../src/features/toolStore/api";
import { ToolStorePage } from "../src/features/toolStore/ToolStorePage";
import { installBody, localized, parameterProblem, usageLines } from "../src/features/toolStore/toolStoreView";
import { ApiError } from "../src/api/problem";
import { stubDialogs } from "./helpers/canvasDom";
import { json, problem, scriptedFetch, type Handler } from "./helpers/http";
import { signedInServices } from "./helpers/services";

const HOST = { name: "host", kind: "host" as const, label: { "zh-CN": "主机", en: "Host" } };
const ENTRY: StoreEntry = {
  id: "remote-tools",
  name: { "zh-CN": "远程工具", en: "Remote tools" },
  description: { "zh-CN": "加法", en: "Adds numbers" },
  url_template: "http://{host}/mcp/tools/",
  parameters: [HOST],
  credentials: [{ name: "api_key", label: { "zh-CN": "密钥", en: "API key" }, sent_as: "bearer", required: true }],
  tags: ["math", "http"],
  homepage: "https://example.org",
  bundled: false,
  installed: false,
  installation: null,
};
const SERVER = {
  id: "s-1",
  server_id: "remote-tools",
  name: "Remote tools",
  description: null,
  endpoint_url: "http://127.0.0.1:9/mcp/tools/",
  agent_version_id: null,
  status: "active",
  tool_count: 2,
  total_calls: 0,
  success_calls: 0,
  average_response_time: "0",
  credentials_hint: "apk…abcd",
  last_error: null,
  last_health_check: null,
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-01T00:00:00Z",
};
const INSTALLED: StoreEntry = {
  ...ENTRY,
  installed: true,
  installation: {
    entry_id: ENTRY.id,
    installation_id: "i-1",
    server: SERVER,
    tools: [
      { id: "t-1", name: "calculator", description: null, status: "active" },
      { id: "t-2", name: "current_time", description: null, status: "active" },
    ],
    parameters: { host: "127.0.0.1:9" },
    granted_roles: ["admin", "developer"],
    installed_by: "u-1",
    installed_at: "2030-01-01T00:00:00Z",
  },
};
const SECRET = "apk_secret_0123456789";
const page = (items: StoreEntry[]) => json(200, { items, total: items.length, limit: 50, offset: 0 });

function setUp(routes: Record<string, Handler[] | Handler>, canInstall = true) {
  const script = scriptedFetch({ "GET /api/v1/tool-store/tags": () => json(200, ["http", "math"]), ...routes });
  const { services, queryClient } = signedInServices(script.fetch, canInstall ? "admin" : "developer");
  render(
    createElement(
      ServicesContext.Provider,
      { value: services },
      createElement(QueryClientProvider, { client: queryClient }, createElement(ToolStorePage, { canInstall })),
    ),
  );
  return script;
}

beforeAll(stubDialogs);
afterEach(() => cleanup());

describe("tool store view helpers", () => {
  it("checks parameters like the server and builds the request", () => {
    expect(parameterProblem(HOST, "tools.example.org:8000")).toBeNull();
    expect(parameterProblem(HOST, "")).toEqual({ key: "required" });
    expect(parameterProblem(HOST, "a.org/evil")).toEqual({ key: "structural" });
    expect(parameterProblem(HOST, "a@b")).toEqual({ key: "structural" });
    expect(parameterProblem(HOST, "-bad")).toEqual({ key: "kind" });
    expect(parameterProblem({ ...HOST, pattern: "[a-z]+\\.example\\.org" }, "x.org")).toEqual({
      key: "pattern",
      pattern: "[a-z]+\\.example\\.org",
    });
    expect(parameterProblem({ ...HOST, default: "a.org" }, "")).toBeNull();
    expect(installBody(ENTRY, { host: " h.org " }, { api_key: " k " }, ["admin"])).toEqual({
      parameters: { host: "h.org" },
      credentials: { api_key: "k" },
      granted_roles: ["admin"],
    });
    expect(localized(ENTRY.name, "zh-CN")).toBe("远程工具");
    expect(localized(ENTRY.name, "en-GB")).toBe("Remote tools");
    const conflict = new ApiError({
      status: 409,
      title: "Conflict",
      detail: "in use",
      errors: [{ path: "/agents/0", message: "Adder 1.0.0 uses add" }],
    });
    expect(usageLines(conflict)).toEqual(["Adder 1.0.0 uses add"]);
  });
});

describe("tool store page", () => {
  it("lists entries, filters by a clicked tag, and installs with masked, write-only credentials", async () => {
    const script = setUp({
      "GET /api/v1/tool-store/entries": [() => page([ENTRY]), () => page([ENTRY]), () => page([INSTALLED])],
      "POST /api/v1/tool-store/entries/remote-tools/install": () => json(201, INSTALLED),
    });
    const card = await screen.findByTestId("store-entry-remote-tools");
    expect(card.textContent).toContain("Remote tools");
    expect(card.textContent).toContain("Not installed");
    fireEvent.click(within(card).getByRole("button", { name: "Show entries tagged math" }));
    await waitFor(() =>
      expect(
        script.calls.some((c) => c.url.startsWith("/api/v1/tool-store/entries?") && c.url.includes("tag=math")),
      ).toBe(true),
    );

    fireEvent.click(await screen.findByRole("button", { name: "Install" }));
    const dialog = await screen.findByRole("dialog");
    const key = within(dialog).getByLabelText(/API key/);
    expect(key.getAttribute("type")).toBe("password");
    fireEvent.click(within(dialog).getByRole("button", { name: "Install" }));
    expect(within(dialog).getAllByText("Required.")).toHaveLength(2); // nothing sent yet
    expect(script.calls.some((c) => c.method === "POST")).toBe(false);

    fireEvent.change(within(dialog).getByLabelText(/Host/), { target: { value: "127.0.0.1:9/x" } });
    fireEvent.change(key, { target: { value: SECRET } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Install" }));
    expect(within(dialog).getByText(/Must not contain/)).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText(/Host/), { target: { value: "127.0.0.1:9" } });
    fireEvent.click(within(dialog).getByLabelText("Reviewers"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Install" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const post = script.calls.find((c) => c.method === "POST");
    expect(post?.body).toEqual({
      parameters: { host: "127.0.0.1:9" },
      credentials: { api_key: SECRET },
      granted_roles: ["admin", "developer", "reviewer"],
    });
    const installed = await screen.findByText("Installed", { selector: ".card-head .badge" });
    const after = installed.closest("li") as HTMLElement;
    expect(after.textContent).toContain("Discovered");
    expect(within(after).getByRole("list", { name: "Tools of Remote tools" }).textContent).toContain("current_time");
    expect(after.textContent).toContain("Granted to: Admins, Developers");
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it("shows the agents using an entry before a forced uninstall", async () => {
    const script = setUp({
      "GET /api/v1/tool-store/entries": [() => page([INSTALLED]), () => page([ENTRY])],
      "DELETE /api/v1/tool-store/entries/remote-tools/install": [
        () =>
          problem(409, "1 published agent version(s) use the tools", [
            { path: "/agents/0", message: "Adder 1.0.0 uses add" },
          ]),
        () => new Response(null, { status: 204 }),
      ],
    });
    fireEvent.click(await screen.findByRole("button", { name: "Uninstall" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.click(within(dialog).getByRole("button", { name: "Uninstall" }));
    expect((await within(dialog).findByRole("alert")).textContent).toContain("Adder 1.0.0 uses add");
    fireEvent.click(within(dialog).getByRole("button", { name: "Uninstall anyway" }));
    await screen.findByText("Not installed", { selector: ".card-head .badge" });
    const deletes = script.calls.filter((c) => c.method === "DELETE").map((c) => c.url);
    expect(deletes).toEqual([
      "/api/v1/tool-store/entries/remote-tools/install",
      "/api/v1/tool-store/entries/remote-tools/install?force=true",
    ]);
  });

  it("offers no install to developers", async () => {
    setUp({ "GET /api/v1/tool-store/entries": () => page([ENTRY]) }, false);
    await screen.findByTestId("store-entry-remote-tools");
    expect(screen.queryByRole("button", { name: "Install" })).toBeNull();
    expect(screen.getByText(/Only tenant admins/)).toBeTruthy();
  });
});
