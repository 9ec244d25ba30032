// @vitest-environment jsdom
/**
 * Personal model keys in the UI: the account section lists keys by their masked hint only and
 * sends a new key once (never showing it again), replaces and deletes them; the chat's payer
 * selector appears only when the organisation allows keys and the person has one; a run's node
 * says whose key paid; the admin's switch sends the tenant setting. zh-CN and en have the same keys.
 */

import { QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import i18next from "i18next";
import { createElement, type ReactNode } from "react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PersonalKey } from "../src/api/personalKeys";
import { ServicesContext } from "../src/app/context";
import { PersonalKeysSection } from "../src/features/account/PersonalKeysSection";
import { PersonalKeysPolicyPanel } from "../src/features/admin/PersonalKeysPolicyPanel";
import { PayerSelector } from "../src/features/chat/PayerSelector";
import en from "../src/locales/en/personalKeys.json";
import zh from "../src/locales/zh-CN/personalKeys.json";
import { paidByText } from "../src/run/graph/PaidByFact";
import { stubDialogs } from "./helpers/canvasDom";
import { json, problem, scriptedFetch, type RecordedCall } from "./helpers/http";
import { signedInServices } from "./helpers/services";

const SECRET = "sk-live-abcdefghijklmnop1234";
const KEY: PersonalKey = {
  id: "k1",
  kind: "openai",
  label: "My OpenAI",
  api_base: null,
  key_hint: "sk-…1234",
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-01T00:00:00Z",
};
const LIST = "GET /api/v1/me/provider-keys";

beforeAll(stubDialogs);
afterEach(cleanup);

function mount(node: ReactNode, routes: Parameters<typeof scriptedFetch>[0], role = "user") {
  const http = scriptedFetch(routes);
  const { services, queryClient } = signedInServices(http.fetch, role);
  render(
    createElement(
      ServicesContext.Provider,
      { value: services },
      createElement(QueryClientProvider, { client: queryClient }, node),
    ),
  );
  return http;
}

const sent = (http: { calls: RecordedCall[] }, method: string) => http.calls.filter((c) => c.method === method);

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

describe("texts", () => {
  it("zh-CN and en have the same keys", () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort());
  });
});

describe("My model keys", () => {
  it("lists keys by their masked hint and says when the organisation forbids them", async () => {
    mount(createElement(PersonalKeysSection), { [LIST]: () => json(200, { items: [KEY], allowed: false }) });
    const table = await screen.findByRole("table", { name: "Your model keys" });
    expect(within(table).getByText("sk-…1234")).toBeTruthy();
    expect(within(table).getByText("the organisation's endpoint")).toBeTruthy();
    expect(screen.getByText(/does not allow personal model keys/)).toBeTruthy();
  });

  it("sends a new key once and clears it from the page", async () => {
    const made = { ...KEY, id: "k2", label: "Work" };
    const http = mount(createElement(PersonalKeysSection), {
      [LIST]: [() => json(200, { items: [], allowed: true }), () => json(200, { items: [made], allowed: true })],
      "POST /api/v1/me/provider-keys": () => json(201, made),
    });
    await screen.findByText("You have no model keys yet.");
    const form = screen.getByRole("form", { name: "Add a model key" });
    fireEvent.change(within(form).getByLabelText("Label"), { target: { value: " Work " } });
    const secret = within(form).getByLabelText("Key") as HTMLInputElement;
    expect(secret.type).toBe("password");
    fireEvent.change(secret, { target: { value: SECRET } });
    fireEvent.click(within(form).getByRole("button", { name: "Save key" }));
    await waitFor(() => expect(sent(http, "POST")).toHaveLength(1));
    expect(sent(http, "POST")[0]!.body).toEqual({ kind: "openai", label: "Work", api_key: SECRET, api_base: null });
    await within(form).findByText("Saved Work (sk-…1234).");
    expect(secret.value).toBe("");
    await screen.findByRole("table", { name: "Your model keys" });
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it("replaces and deletes a key", async () => {
    const http = mount(createElement(PersonalKeysSection), {
      [LIST]: () => json(200, { items: [KEY], allowed: true }),
      "PUT /api/v1/me/provider-keys/k1/secret": () => json(200, { ...KEY, key_hint: "sk-…9999" }),
      "DELETE /api/v1/me/provider-keys/k1": () => new Response(null, { status: 204 }),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Replace the key My OpenAI" }));
    const form = screen.getByRole("form", { name: "New secret for My OpenAI" });
    fireEvent.change(within(form).getByLabelText("New key"), { target: { value: "sk-new-secret" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(sent(http, "PUT")).toHaveLength(1));
    expect(sent(http, "PUT")[0]!.body).toEqual({ api_key: "sk-new-secret" });
    fireEvent.click(await screen.findByRole("button", { name: "Delete the key My OpenAI" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(sent(http, "DELETE")).toHaveLength(1));
  });
});

describe("the chat's payer selector", () => {
  it("is absent when the organisation forbids keys or the person has none", async () => {
    const http = mount(createElement(PayerSelector, { agentId: "a1" }), {
      [LIST]: () => json(200, { items: [KEY], allowed: false }),
    });
    await waitFor(() => expect(http.calls).toHaveLength(1));
    expect(screen.queryByLabelText("Who pays")).toBeNull();
  });

  it("shows the current payer and switches to one of the person's keys", async () => {
    const payer = { agent_id: "a1", payer: "tenant", key_id: null, key_label: null, key_hint: null, allowed: true };
    const http = mount(createElement(PayerSelector, { agentId: "a1" }), {
      [LIST]: () => json(200, { items: [KEY], allowed: true }),
      "GET /api/v1/me/agents/a1/payer": [
        () => json(200, payer),
        () => json(200, { ...payer, payer: "personal", key_id: "k1" }),
      ],
      "PUT /api/v1/me/agents/a1/payer": () => json(200, { ...payer, payer: "personal", key_id: "k1" }),
    });
    const select = (await screen.findByLabelText("Who pays")) as HTMLSelectElement;
    await waitFor(() => expect(select.disabled).toBe(false));
    expect(select.value).toBe("");
    expect(within(select).getByText("My key My OpenAI (sk-…1234)")).toBeTruthy();
    fireEvent.change(select, { target: { value: "k1" } });
    await waitFor(() => expect(sent(http, "PUT")).toHaveLength(1));
    expect(sent(http, "PUT")[0]!.body).toEqual({ payer: "personal", key_id: "k1" });
    await waitFor(() => expect(select.value).toBe("k1"));
  });

  it("shows why a choice was refused", async () => {
    const payer = { agent_id: "a1", payer: "tenant", key_id: null, key_label: null, key_hint: null, allowed: true };
    mount(createElement(PayerSelector, { agentId: "a1" }), {
      [LIST]: () => json(200, { items: [KEY], allowed: true }),
      "GET /api/v1/me/agents/a1/payer": () => json(200, payer),
      "PUT /api/v1/me/agents/a1/payer": () => problem(403, "your organisation does not allow personal model keys"),
    });
    const select = (await screen.findByLabelText("Who pays")) as HTMLSelectElement;
    await waitFor(() => expect(select.disabled).toBe(false));
    fireEvent.change(select, { target: { value: "k1" } });
    expect((await screen.findByRole("alert")).textContent).toContain("does not allow personal model keys");
  });
});

describe("whose key paid", () => {
  const t = () => i18next.getFixedT(null, "personalKeys");
  const user = { payer: "user" as const, user_id: "u1", key_id: "k1", key_label: "Mine", key_hint: "sk-…abcd" };

  afterEach(async () => {
    await i18next.changeLanguage("en");
  });

  it("names the organisation, the viewer's own key, or another user's masked key", async () => {
    expect(paidByText(t(), { payer: "tenant" }, "u1")).toBe("Paid by the organisation");
    expect(paidByText(t(), user, "u1")).toBe("Paid with your key Mine (sk-…abcd)");
    expect(paidByText(t(), user, "u2")).toBe("Paid with a user's own key (sk-…abcd)");
    await i18next.changeLanguage("zh-CN");
    expect(paidByText(t(), user, "u1")).toBe("使用您的密钥 Mine（sk-…abcd）支付");
  });
});

describe("the admin's switch", () => {
  it("forbids personal keys", async () => {
    const http = mount(
      createElement(PersonalKeysPolicyPanel),
      {
        "GET /api/v1/tenant/personal-keys": () => json(200, { allow_personal_keys: true }),
        "PUT /api/v1/tenant/personal-keys": () => json(200, { allow_personal_keys: false }),
      },
      "admin",
    );
    const box = (await screen.findByLabelText("Allow personal model keys")) as HTMLInputElement;
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    await waitFor(() => expect(sent(http, "PUT")).toHaveLength(1));
    expect(sent(http, "PUT")[0]!.body).toEqual({ allow_personal_keys: false });
    await screen.findByText(/every run uses the organisation's keys/);
  });
});
