/**
 * Journey: an admin (in Chinese) sets up models and knowledge in the browser only. They add a
 * provider and a service config with an API key, which the list then shows masked; editing the
 * config without typing a key keeps the stored one. They create a knowledge base, drop two small
 * files on it, watch both reach "ready" through their live ingestion progress, and a debug search
 * finds a passage with its score. Finally they delete the provider and the knowledge base.
 *
 * "Test connection" is tried on an OpenAI-compatible provider that is the platform's own
 * `/v1` (the only loopback address the dev outbound policy allows) with a wrong key: a worker
 * makes the call and the admin reads why it failed, in plain words.
 */

import { expect, logIn, test } from "./fixtures";

test.use({ locale: "zh-CN" });

const FILES = [
  {
    name: "refunds.md",
    type: "text/markdown",
    content: "# Refunds\n\nRefunds are paid back to the original card within five working days.\n",
  },
  {
    name: "passwords.txt",
    type: "text/plain",
    content: "To reset a forgotten password, open the login page and choose 'Forgot password'.\n",
  },
];

test("an admin adds a provider with a masked key, and a knowledge base whose two uploads become ready", async ({
  page,
}) => {
  // The first document on a fresh worker also loads the embedding model.
  test.setTimeout(240_000);
  const stamp = Date.now();
  const providerName = `e2e-openai-${stamp}`;
  const providerLabel = `E2E OpenAI ${stamp}`;
  const serviceName = `e2e-mini-${stamp}`;
  const key = `sk-e2e-${stamp}-secretABCD`;
  const kbName = `E2E 知识库 ${stamp}`;
  const configRow = () => page.getByRole("row").filter({ hasText: serviceName });

  await test.step("the admin adds a provider", async () => {
    await logIn(page, "admin", "demo");
    await page.getByRole("link", { name: "模型服务", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "模型服务" })).toBeVisible();
    await page.locator("summary", { hasText: "添加提供商" }).click();
    const form = page.getByRole("form", { name: "添加提供商" });
    await form.getByLabel("名称", { exact: true }).fill(providerName);
    await form.getByRole("combobox").selectOption({ label: "OpenAI" });
    await form.getByLabel(/^显示名称/).fill(providerLabel);
    await form.getByRole("button", { name: "添加提供商" }).click();
    await expect(form.getByRole("status")).toHaveText(`已添加 ${providerLabel}。`);
    await expect(page.getByRole("row").filter({ hasText: providerName })).toContainText("启用");
  });

  await test.step("adds a service config with an API key; the list shows the key masked", async () => {
    await page.locator("summary", { hasText: "添加服务配置" }).click();
    const form = page.getByRole("form", { name: "添加服务配置" });
    await form.getByRole("combobox").selectOption({ label: providerLabel });
    await form.getByLabel("服务名称", { exact: true }).fill(serviceName);
    await form.getByLabel("模型", { exact: true }).fill("gpt-4o-mini");
    await form.getByLabel(/^API 密钥/).fill(key);
    await form.getByRole("button", { name: "添加服务配置" }).click();
    await expect(form.getByRole("status")).toContainText("密钥已保存，不会再次显示");
    // Saved: the field is empty again, the row shows only the server's masked hint.
    await expect(form.getByLabel(/^API 密钥/)).toHaveValue("");
    await expect(configRow()).toContainText("sk-…ABCD");
    await expect(configRow()).toContainText("gpt-4o-mini");
    expect(await page.content()).not.toContain(key);
  });

  await test.step("edits the config without typing a key: the stored key stays", async () => {
    await configRow()
      .getByRole("button", { name: `编辑 ${serviceName}` })
      .click();
    const editor = page.getByRole("form", { name: `编辑 ${serviceName}` });
    await expect(editor.getByLabel(/^API 密钥/)).toHaveValue("");
    await expect(editor).toContainText("已保存密钥（sk-…ABCD）");
    await editor.getByLabel(/^显示名称/).fill("E2E mini");
    await editor.getByRole("button", { name: "保存" }).click();
    await expect(editor).toHaveCount(0);
    await expect(configRow()).toContainText("E2E mini");
    await expect(configRow()).toContainText("sk-…ABCD");
  });

  await test.step("tests a connection and reads why it failed", async () => {
    const origin = new URL(page.url()).origin;
    const localName = `e2e-local-${stamp}`;
    const localService = `e2e-local-mini-${stamp}`;
    // The add forms fold open on their summary and may still be open from the steps above.
    const provider = page.getByRole("form", { name: "添加提供商" });
    if (!(await provider.isVisible())) await page.locator("summary", { hasText: "添加提供商" }).click();
    await provider.getByLabel("名称", { exact: true }).fill(localName);
    await provider.getByRole("combobox").selectOption({ label: "OpenAI 兼容服务" });
    await provider.getByLabel(/^接口地址/).fill(`${origin}/v1`);
    await provider.getByRole("button", { name: "添加提供商" }).click();
    await expect(page.getByRole("row").filter({ hasText: localName })).toContainText("启用");
    const config = page.getByRole("form", { name: "添加服务配置" });
    if (!(await config.isVisible())) await page.locator("summary", { hasText: "添加服务配置" }).click();
    await config.getByRole("combobox").selectOption({ label: localName });
    await config.getByLabel("服务名称", { exact: true }).fill(localService);
    await config.getByLabel("模型", { exact: true }).fill("Assistant");
    await config.getByLabel(/^API 密钥/).fill(`sk-wrong-${stamp}`);
    await config.getByRole("button", { name: "添加服务配置" }).click();
    const row = page.getByRole("row").filter({ hasText: localService });
    await row.getByRole("button", { name: `测试连接（${localService}）` }).click();
    await expect(page.getByText(/连接失败：提供商拒绝了这个 API 密钥/)).toBeVisible({ timeout: 60_000 });
    expect(await page.content()).not.toContain(`sk-wrong-${stamp}`);
  });

  await test.step("creates a knowledge base", async () => {
    await page.getByRole("link", { name: "知识库", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "知识库" })).toBeVisible();
    await page.locator("summary", { hasText: "创建知识库" }).click();
    const form = page.getByRole("form", { name: "创建知识库" });
    await form.getByLabel("名称", { exact: true }).fill(kbName);
    await form.getByRole("button", { name: "创建", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: kbName })).toBeVisible();
    await expect(page.getByRole("main")).toContainText("还没有文档");
  });

  await test.step("drops two files at once; both are listed and reach ready", async () => {
    const dataTransfer = await page.evaluateHandle((files) => {
      const transfer = new DataTransfer();
      for (const f of files) transfer.items.add(new File([f.content], f.name, { type: f.type }));
      return transfer;
    }, FILES);
    const zone = page.locator(".dropzone");
    await zone.dispatchEvent("dragover", { dataTransfer });
    await zone.dispatchEvent("drop", { dataTransfer });
    const sent = page.getByRole("list", { name: "已发送的文件" });
    for (const f of FILES) await expect(sent.getByRole("listitem").filter({ hasText: f.name })).toContainText("已上传");
    for (const f of FILES) {
      const row = page.getByRole("row").filter({ hasText: f.name });
      await expect(row).toContainText("就绪", { timeout: 180_000 });
      await expect(row).toHaveAttribute("data-document-status", "ready");
    }
  });

  await test.step("a debug search finds a passage with its score", async () => {
    const search = page.getByRole("form", { name: "检索测试" });
    await search.getByLabel("问题或关键词").fill("How long do refunds take?");
    await search.getByRole("button", { name: "检索", exact: true }).click();
    const passages = page.getByRole("list", { name: "检索到的片段，按相关度排序" });
    await expect(passages.getByRole("listitem").first()).toContainText("five working days");
    await expect(passages.getByRole("listitem").first()).toContainText(/得分 \d\.\d{3}/);
    await expect(passages.getByRole("listitem").first()).toContainText("refunds.md");
  });

  await test.step("deletes the knowledge base and the provider after confirming", async () => {
    await page.getByRole("button", { name: "删除知识库" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "删除" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "知识库" })).toBeVisible();
    await expect(page.getByRole("link", { name: kbName })).toHaveCount(0);

    await page.getByRole("link", { name: "模型服务", exact: true }).click();
    const providerRow = page.getByRole("row").filter({ hasText: providerName });
    await providerRow.getByRole("button", { name: `删除 ${providerLabel}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "删除" }).click();
    await expect(providerRow).toHaveCount(0);
    // Its service configs went with it.
    await expect(configRow()).toHaveCount(0);
  });
});
