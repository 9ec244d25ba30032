/**
 * Journey: a user pays for their own runs with their own model key. The organisation's model for
 * a new agent is an OpenAI-compatible provider that is the platform's own `/v1` (the only loopback
 * address the dev outbound policy allows), set up with a wrong key: a run the organisation paid
 * for would be refused there. The user adds a personal key in their account — an API key of the
 * platform, which `/v1` accepts —, chooses it to pay in the chat, and chats: the answer comes
 * back, and the run's node says it was paid with their key. Once in Chinese, once in English;
 * the account section also fits a phone.
 */

import type { Page } from "@playwright/test";
import { Api } from "./api";
import { expect, graphNode, logIn, messages, send, startChatFromStore, test } from "./fixtures";

interface Setup {
  agent: string;
  key: string;
  hint: string;
}

/** An agent whose one llm node is bound to a config on the platform's own /v1 with a wrong key. */
async function setUp(baseUrl: string, tag: string): Promise<Setup> {
  const admin = await Api.login(baseUrl, "admin");
  const developer = await Api.login(baseUrl, "developer");
  const reviewer = await Api.login(baseUrl, "reviewer");
  const user = await Api.login(baseUrl, "user");
  const provider = await admin.call<{ provider_id: number }>("POST", "/api/v1/providers", {
    provider_name: `e2e-self-${tag}`,
    kind: "openai_compatible",
    base_url: `${baseUrl}/v1`,
  });
  const config = await admin.call<{ config_id: number }>("POST", "/api/v1/service-configs", {
    provider_id: provider.provider_id,
    service_name: `e2e-self-${tag}`,
    model: "Assistant",
    api_key: `sk-organisation-wrong-${tag}`,
  });
  const name = `Own key ${tag}`;
  const agent = await developer.call<{ id: string }>("POST", "/api/v1/developer/agents", {
    name,
    description: "Answers through the organisation's model provider.",
    tags: [],
  });
  const version = await developer.call<{ id: string }>("POST", `/api/v1/developer/agents/${agent.id}/versions`, {
    version: "1.0.0",
    workflow_definition: {
      state: { messages: { reducer: "add_messages" } },
      nodes: [{ name: "answer", type: "llm" }],
      edges: [
        { source: "__start__", target: "answer" },
        { source: "answer", target: "__end__" },
      ],
    },
    service_dependencies: { answer: { llm_service: config.config_id } },
  });
  await developer.call("POST", `/api/v1/developer/agents/${agent.id}/versions/${version.id}/submit`);
  await reviewer.call("POST", `/api/v1/reviews/versions/${version.id}/approve`, { note: "ok" });
  // The user's own "provider key": an API key of the platform, which its /v1 accepts.
  const created = await user.call<{ key: string }>("POST", "/api/v1/api-keys", {
    name: `own model key ${tag}`,
    scopes: ["agent:execute"],
  });
  return { agent: name, key: created.key, hint: `${created.key.slice(0, 3)}…${created.key.slice(-4)}` };
}

interface Texts {
  title: string;
  add: string;
  kind: string;
  kindOption: string;
  label: string;
  apiKey: string;
  save: string;
  payer: string;
  payerOption: (label: string, hint: string) => string;
  paidWithYourKey: (label: string, hint: string) => string;
}

const ZH: Texts = {
  title: "我的模型密钥",
  add: "添加模型密钥",
  kind: "服务商",
  kindOption: "OpenAI 兼容",
  label: "名称",
  apiKey: "密钥",
  save: "保存密钥",
  payer: "付费方",
  payerOption: (label, hint) => `我的密钥 ${label}（${hint}）`,
  paidWithYourKey: (label, hint) => `使用您的密钥 ${label}（${hint}）支付`,
};

const EN: Texts = {
  title: "My model keys",
  add: "Add a model key",
  kind: "Provider",
  kindOption: "OpenAI-compatible",
  label: "Label",
  apiKey: "Key",
  save: "Save key",
  payer: "Who pays",
  payerOption: (label, hint) => `My key ${label} (${hint})`,
  paidWithYourKey: (label, hint) => `Paid with your key ${label} (${hint})`,
};

async function journey(page: Page, baseURL: string, texts: Texts, tag: string): Promise<void> {
  const setup = await setUp(baseURL, tag);
  const label = `mine-${tag}`;
  const said = `who pays ${tag}`;

  await test.step("the user adds a personal key; it is shown masked only", async () => {
    await logIn(page, "user");
    await page.goto("/account");
    const section = page.getByRole("region", { name: texts.title });
    await expect(section).toBeVisible();
    await section.locator("summary", { hasText: texts.add }).click();
    const form = section.getByRole("form", { name: texts.add });
    await form.getByRole("combobox", { name: texts.kind, exact: true }).selectOption({ label: texts.kindOption });
    await form.getByLabel(texts.label, { exact: true }).fill(label);
    await form.getByLabel(texts.apiKey, { exact: true }).fill(setup.key);
    await form.getByRole("button", { name: texts.save }).click();
    await expect(form.getByRole("status")).toContainText(setup.hint);
    await expect(form.getByLabel(texts.apiKey, { exact: true })).toHaveValue("");
    await expect(section.getByRole("row").filter({ hasText: label })).toContainText(setup.hint);
    expect(await page.content()).not.toContain(setup.key);
    // The section fits a phone.
    const desktop = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    if (desktop) await page.setViewportSize(desktop);
  });

  await test.step("chooses the key to pay for the agent, and chats", async () => {
    await startChatFromStore(page, setup.agent);
    await page
      .getByRole("combobox", { name: texts.payer, exact: true })
      .selectOption({ label: texts.payerOption(label, setup.hint) });
    await expect(page.getByRole("combobox", { name: texts.payer, exact: true })).not.toHaveValue("");
    // The header with the selector fits a phone.
    const desktop = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    if (desktop) await page.setViewportSize(desktop);
    await send(page, said);
    await expect(messages(page).locator("article.message--assistant")).toContainText(said, { timeout: 60_000 });
  });

  await test.step("the run's node says whose key paid", async () => {
    await expect(graphNode(page, "answer")).toHaveAttribute("data-state", "completed");
    await graphNode(page, "answer").click();
    const details = page.locator('.node-details[data-node-id="answer"]');
    await expect(details.locator(".node-fact-paid-by")).toHaveText(texts.paidWithYourKey(label, setup.hint));
    expect(await page.content()).not.toContain(setup.key);
  });
}

test.describe("in Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("a user chats with their own model key, and the run says it paid", async ({ page, baseURL }) => {
    await journey(page, baseURL!, ZH, `zh${Date.now().toString(36)}`);
  });
});

test.describe("in English", () => {
  test.use({ locale: "en-US" });

  test("a user chats with their own model key, and the run says it paid", async ({ page, baseURL }) => {
    await journey(page, baseURL!, EN, `en${Date.now().toString(36)}`);
  });
});
