// @vitest-environment jsdom
/**
 * Personal settings: the theme store puts the chosen theme on <html data-theme> and follows the
 * device live for "system"; the settings section saves language, theme and model defaults through
 * the preferences API (range errors by field, from the form and from the server); a session that
 * becomes ready takes the person's saved language and theme.
 */

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import i18next from "i18next";
import { createElement } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { ChatStore } from "../src/features/chat/chatStore";
import { LanguageSwitch } from "../src/app/LanguageSwitch";
import { SettingsSection } from "../src/features/account/SettingsSection";
import { THEME_STORAGE_KEY, ThemeStore, themeStore } from "../src/lib/theme";
import { followPreferences } from "../src/session/preferences";
import { SessionStore } from "../src/session/sessionStore";
import { json, problem, scriptedFetch, type Handler } from "./helpers/http";

const SAVED = {
  language: null,
  theme: "system",
  email_kinds: ["run_failed"],
  model_defaults: { temperature: null, max_tokens: null },
};

/** A controllable `prefers-color-scheme: dark` media query. */
function fakeDevice(dark: boolean) {
  const listeners = new Set<() => void>();
  const query = {
    get matches() {
      return dark;
    },
    addEventListener: (_: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_: string, listener: () => void) => listeners.delete(listener),
  };
  window.matchMedia = (() => query) as unknown as typeof window.matchMedia;
  return {
    set(next: boolean) {
      dark = next;
      for (const listener of listeners) listener();
    },
  };
}

function signedIn(routes: Record<string, Handler[] | Handler>) {
  const tokens = new TokenStore(memoryStorage());
  tokens.set({
    access_token: "access",
    refresh_token: "refresh",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "user",
  });
  const script = scriptedFetch(routes);
  const client = new ApiClient({ fetch: script.fetch, tokens });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const session = new SessionStore(client, tokens, () => {});
  const services: Services = { client, chats: new ChatStore(client), session, queries };
  return { script, services, session, client };
}

function renderSection(routes: Record<string, Handler[] | Handler>) {
  const setup = signedIn(routes);
  render(
    createElement(
      ServicesContext.Provider,
      { value: setup.services },
      createElement(QueryClientProvider, { client: setup.services.queries }, createElement(SettingsSection)),
    ),
  );
  return setup.script;
}

beforeEach(() => {
  window.localStorage.clear();
  delete document.documentElement.dataset.theme;
});

afterEach(async () => {
  cleanup();
  themeStore.choose("light");
  await i18next.changeLanguage("en");
});

describe("theme", () => {
  it("puts the chosen theme on <html> and remembers it in this browser", () => {
    fakeDevice(false);
    const store = new ThemeStore();
    store.start();
    expect(document.documentElement.dataset.theme).toBe("light");
    store.choose("dark");
    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe("dark");
    expect(store.getState()).toEqual({ choice: "dark", resolved: "dark" });
  });

  it("follows the device live when the choice is 'system', and not otherwise", () => {
    const device = fakeDevice(true);
    window.localStorage.setItem(THEME_STORAGE_KEY, "system");
    const store = new ThemeStore();
    store.start();
    expect(document.documentElement.dataset.theme).toBe("dark");
    device.set(false);
    expect(document.documentElement.dataset.theme).toBe("light");
    store.choose("dark");
    device.set(true);
    device.set(false);
    expect(document.documentElement.dataset.theme).toBe("dark");
  });
});

describe("settings section", () => {
  it("saves the theme and the language and puts them in force", async () => {
    fakeDevice(false);
    const script = renderSection({
      "GET /api/v1/me/preferences": () => json(200, SAVED),
      "PATCH /api/v1/me/preferences": [
        (call) => json(200, { ...SAVED, ...(call.body as object) }),
        (call) => json(200, { ...SAVED, theme: "dark", ...(call.body as object) }),
      ],
    });
    const dark = await screen.findByRole("radio", { name: "Dark" });
    await waitFor(() => expect(dark).toHaveProperty("disabled", false));
    fireEvent.click(dark);
    expect(document.documentElement.dataset.theme).toBe("dark");
    await waitFor(() => expect(script.calls.filter((c) => c.method === "PATCH")).toHaveLength(1));
    expect(script.calls.find((c) => c.method === "PATCH")?.body).toEqual({ theme: "dark" });

    fireEvent.change(screen.getByLabelText("Language"), { target: { value: "zh-CN" } });
    await waitFor(() => expect(i18next.language).toBe("zh-CN"));
    expect(script.calls.filter((c) => c.method === "PATCH")[1]?.body).toEqual({ language: "zh-CN" });
    expect(document.documentElement.dataset.theme).toBe("dark");
  });

  it("checks the model defaults' ranges and shows the server's field errors", async () => {
    const script = renderSection({
      "GET /api/v1/me/preferences": () => json(200, SAVED),
      "PATCH /api/v1/me/preferences": [
        () =>
          problem(422, "the request did not match the expected shape", [
            { path: "/body/model_defaults/max_tokens", message: "Input should be less than or equal to 4096" },
          ]),
        (call) => json(200, { ...SAVED, ...(call.body as object) }),
      ],
    });
    const temperature = await screen.findByLabelText(/^Temperature/);
    const maxTokens = screen.getByLabelText(/^Maximum reply tokens/);
    const submit = screen.getByRole("button", { name: "Save model parameters" });

    fireEvent.change(temperature, { target: { value: "2.5" } });
    fireEvent.click(submit);
    expect(await screen.findByText("Enter a number from 0 to 2.")).toBeTruthy();
    expect(script.calls.some((c) => c.method === "PATCH")).toBe(false);

    fireEvent.change(temperature, { target: { value: "0.4" } });
    fireEvent.change(maxTokens, { target: { value: "5000" } });
    fireEvent.click(submit);
    await waitFor(() => expect(maxTokens.getAttribute("aria-invalid")).toBe("true"));
    // The server's message is the max-tokens field's own error (announced with it).
    const described = (maxTokens.getAttribute("aria-describedby") ?? "").split(" ");
    const texts = described.map((id) => document.getElementById(id)?.textContent ?? "");
    expect(texts).toContain("Input should be less than or equal to 4096");
    expect(temperature.getAttribute("aria-invalid")).toBeNull();

    fireEvent.change(maxTokens, { target: { value: "" } });
    fireEvent.click(submit);
    await screen.findByText("Model parameters saved.");
    const sent = script.calls.filter((c) => c.method === "PATCH").map((c) => c.body);
    expect(sent).toEqual([
      { model_defaults: { temperature: 0.4, max_tokens: 5000 } },
      { model_defaults: { temperature: 0.4, max_tokens: null } },
    ]);
  });
});

const ME = { id: "u", email: "a@b.c", role: "user", tenant_id: "t", tenant_name: "t", display_name: null };

describe("the header's language switch", () => {
  it("saves the language in the preferences when signed in, and only then", async () => {
    const setup = signedIn({
      "GET /api/auth/me": () => json(200, ME),
      "PATCH /api/v1/me/preferences": (call) => json(200, { ...SAVED, ...(call.body as object) }),
    });
    const switcher = () =>
      createElement(
        ServicesContext.Provider,
        { value: setup.services },
        createElement(QueryClientProvider, { client: setup.services.queries }, createElement(LanguageSwitch)),
      );
    const view = render(switcher());
    fireEvent.change(screen.getByRole("combobox", { name: "Language" }), { target: { value: "zh-CN" } });
    await waitFor(() => expect(i18next.language).toBe("zh-CN"));
    expect(setup.script.calls.some((c) => c.method === "PATCH")).toBe(false); // not signed in yet

    await setup.session.restore();
    view.rerender(switcher());
    fireEvent.change(screen.getByRole("combobox", { name: "语言" }), { target: { value: "en" } });
    await waitFor(() => expect(setup.script.calls.some((c) => c.method === "PATCH")).toBe(true));
    expect(setup.script.calls.find((c) => c.method === "PATCH")?.body).toEqual({ language: "en" });
    expect(i18next.language).toBe("en");
  });
});

describe("following the person's preferences", () => {
  it("takes the saved language and theme when a session becomes ready", async () => {
    fakeDevice(false);
    themeStore.choose("light");
    const { session, client, script } = signedIn({
      "GET /api/auth/me": () => json(200, ME),
      "GET /api/v1/me/preferences": () => json(200, { ...SAVED, language: "zh-CN", theme: "dark" }),
    });
    const stop = followPreferences(session, client);
    await session.restore();
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe("dark"));
    await waitFor(() => expect(i18next.language).toBe("zh-CN"));
    expect(script.calls.map((c) => c.url)).toContain("/api/v1/me/preferences");
    stop();
  });

  it("keeps what the person chose on the page while the saved preferences were loading", async () => {
    fakeDevice(false);
    themeStore.choose("light");
    await i18next.changeLanguage("en");
    let answer: (response: Response) => void = () => undefined;
    const { session, client, script } = signedIn({
      "GET /api/auth/me": () => json(200, ME),
      "GET /api/v1/me/preferences": () => new Promise<Response>((resolve) => (answer = resolve)),
    });
    const stop = followPreferences(session, client);
    await session.restore();
    await waitFor(() => expect(script.calls.map((c) => c.url)).toContain("/api/v1/me/preferences"));
    // Right after the reload, before the saved ones (English, light) arrive: 中文, dark.
    await i18next.changeLanguage("zh-CN");
    themeStore.choose("dark");
    answer(json(200, { ...SAVED, language: "en", theme: "light" }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(i18next.language).toBe("zh-CN");
    expect(themeStore.getState().choice).toBe("dark");
    stop();
  });
});
