// @vitest-environment jsdom
/**
 * The admin's webhooks page against a scripted API: adding one sends the URL and the chosen
 * events and shows the signing secret once (gone after "stored"; the list never has it);
 * a refused URL shows the server's reason; deleting asks the API to.
 */

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { createElement } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { ChatStore } from "../src/features/chat/chatStore";
import type { Webhook } from "../src/features/notifications/api";
import { WebhooksPage } from "../src/features/notifications/WebhooksPage";
import { SessionStore } from "../src/session/sessionStore";
import { json, problem, scriptedFetch, type Handler } from "./helpers/http";

const HOOK: Webhook = {
  id: "w-1",
  url: "https://hooks.example.com/agentpaas",
  description: null,
  events: ["run_failed", "submission_rejected"],
  enabled: true,
  secret_hint: "whs…abcd",
  created_at: "2030-01-01T00:00:00Z",
};
const SECRET = "whsec_0123456789abcdefghijklmnopqrstuvwxyzABCD";

function setUp(routes: Record<string, Handler[] | Handler>) {
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
      createElement(QueryClientProvider, { client: queries }, createElement(WebhooksPage)),
    ),
  );
  return script;
}

afterEach(() => cleanup());

describe("webhooks page", () => {
  it("adds a webhook and shows its secret once", async () => {
    const script = setUp({
      "GET /api/v1/webhooks": [() => json(200, []), () => json(200, [HOOK])],
      "POST /api/v1/webhooks": () => json(201, { ...HOOK, secret: SECRET }),
    });
    await screen.findByText("No webhooks yet.");
    fireEvent.change(screen.getByLabelText("Receiver URL"), { target: { value: ` ${HOOK.url} ` } });
    fireEvent.click(screen.getByLabelText("Version rejected"));
    fireEvent.click(screen.getByRole("button", { name: "Add webhook" }));
    expect(await screen.findByTestId("webhook-secret")).toHaveProperty("textContent", SECRET);
    const post = script.calls.find((call) => call.method === "POST");
    expect(post?.body).toEqual({ url: HOOK.url, events: ["run_failed", "submission_rejected"] });
    await screen.findByText(HOOK.url);
    fireEvent.click(screen.getByRole("button", { name: "I have stored it" }));
    await waitFor(() => expect(screen.queryByText(SECRET)).toBeNull());
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it("shows why a URL was refused, and deletes", async () => {
    const script = setUp({
      "GET /api/v1/webhooks": [() => json(200, [HOOK]), () => json(200, [])],
      "POST /api/v1/webhooks": () => problem(422, "url refused: 10.0.0.1 is a private address"),
      "DELETE /api/v1/webhooks/w-1": () => new Response(null, { status: 204 }),
    });
    await screen.findByText(HOOK.url);
    fireEvent.change(screen.getByLabelText("Receiver URL"), { target: { value: "http://10.0.0.1/hook" } });
    fireEvent.click(screen.getByRole("button", { name: "Add webhook" }));
    expect((await screen.findByRole("alert")).textContent).toContain("private address");
    fireEvent.click(screen.getByRole("button", { name: "Delete" }));
    await screen.findByText("No webhooks yet.");
    expect(script.calls.some((call) => call.method === "DELETE" && call.url === "/api/v1/webhooks/w-1")).toBe(true);
  });
});
