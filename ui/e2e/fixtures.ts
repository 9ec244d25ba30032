/**
 * What every journey shares: `test` with the platform's URL as baseURL and the published agents,
 * and the steps a person repeats (log in, open a chat, send a message), written against roles,
 * accessible names (English or Chinese) and the live graph's data attributes.
 */

import { test as base, expect, type Browser, type Locator, type Page } from "@playwright/test";
import { Api, PASSWORD, USERS, type Role } from "./api";
import { journeyAgents, platformUrl, type JourneyAgents } from "./env";

export { expect };

export const test = base.extend<{ agents: JourneyAgents }>({
  baseURL: async ({}, use) => {
    await use(platformUrl());
  },
  agents: async ({}, use) => {
    await use(journeyAgents());
  },
});

/**
 * A second person in the same test, with their own context (own session) and the same settings as
 * `page`'s. A failing step leaves a screenshot of their page next to the test's own.
 */
export async function asAnotherPerson(
  browser: Browser,
  name: string,
  act: (page: Page) => Promise<void>,
  options: { locale?: string } = {},
): Promise<void> {
  const context = await browser.newContext({
    baseURL: platformUrl(),
    locale: options.locale ?? "en-US",
    timezoneId: "UTC",
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  try {
    await act(page);
  } catch (error) {
    await page
      .screenshot({ path: test.info().outputPath(`${name}-failed.png`), fullPage: true })
      .catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
}

/**
 * Log in through the login page as a seeded account. When the email is in several tenants the
 * page asks which one: `tenant` is the choice (the admin's email is in "demo" and "platform").
 */
export async function logIn(page: Page, role: Role, tenant?: "demo" | "platform"): Promise<void> {
  // A seeded account keeps the language and theme an earlier journey saved (the language
  // switch saves the choice): each journey starts from the browser's own language instead.
  const account = await Api.login(platformUrl(), role, tenant ?? "demo");
  await account.call("PATCH", "/api/v1/me/preferences", { language: null, theme: "system" });
  await page.goto("/");
  await page.getByLabel(/email|邮箱/i).fill(USERS[role]);
  await page.getByLabel(/password|密码/i).fill(PASSWORD);
  await page.getByRole("button", { name: /sign in|log in|登录/i }).click();
  if (tenant) {
    const choice = page.getByRole("radio", { name: new RegExp(tenant, "i") });
    await choice.check();
    // The form's submit button comes first ("Use another account" follows it).
    await page
      .getByRole("button", { name: /continue|sign in|继续|登录/i })
      .first()
      .click();
  }
  // Signed in: the shell's header (the login page has none).
  await expect(page.getByRole("banner")).toBeVisible();
}

/** The message list of the open chat. */
export function messages(page: Page): Locator {
  return page.getByRole("log");
}

/** Type into the composer and send. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole("textbox", { name: /message|消息/i });
  await box.fill(text);
  await page.getByRole("button", { name: /^(send|发送)$/i }).click();
}

/** What the offline scripted model (`scripted/echo`, the default model) answers to `said`. */
export function echoOf(said: string): string {
  return `You said: ${said}`;
}

/** Open the store from the header and search it. */
export async function searchStore(page: Page, query: string): Promise<void> {
  await page.getByRole("link", { name: /^(store|智能体商店)$/i }).click();
  await page.getByRole("main").getByRole("searchbox").fill(query);
}

/** The store's card of the agent named `name`. */
export function storeCard(page: Page, name: string): Locator {
  return page.getByRole("listitem").filter({ has: page.getByRole("link", { name, exact: true }) });
}

/** Start a new chat from an agent's card (or page) and wait for the composer. */
export async function startChat(page: Page, within: Locator): Promise<void> {
  await within
    .getByRole("button", { name: /start|chat|对话|会话/i })
    .first()
    .click();
  await expect(page.getByRole("textbox", { name: /message|消息/i })).toBeVisible();
}

/** Search the store for the agent and start a chat with it. */
export async function startChatFromStore(page: Page, name: string): Promise<void> {
  await searchStore(page, name);
  await startChat(page, storeCard(page, name));
}

/**
 * A node of the live graph: the React Flow node's element with `data-node-id` (the plan's node
 * name; `__start__` / `__end__` for the markers) and its state in `data-state` (idle, running,
 * completed, failed, retrying, waiting, paused, cancelled, skipped). The node-details panel
 * repeats `data-node-id` without a state, so the state attribute keeps this to the node itself.
 */
export function graphNode(page: Page, id: string): Locator {
  return page.locator(`[data-node-id="${id}"][data-state]`);
}

/** The distinct node ids the live graph shows, sorted. */
export async function graphNodeIds(page: Page): Promise<string[]> {
  const ids = await page
    .locator("[data-node-id][data-state]")
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-node-id") ?? ""));
  return [...new Set(ids)].sort();
}

/**
 * An edge of the live graph, by source and target: the path with `data-edge-id` (the API's
 * drawn-edge id, `<group>:<source>-><target>`) and its state in `data-edge-state` (idle, taken
 * — drawn highlighted —, not_taken — drawn dimmed).
 */
export function graphEdge(page: Page, source: string, target: string): Locator {
  return page.locator(`[data-edge-id$=":${source}->${target}"][data-edge-state]`);
}
