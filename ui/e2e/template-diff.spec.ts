/**
 * Journey: a template, a second version edited in the builder, and the diff between them. A
 * developer (in Chinese) makes an agent from the plain-chat template (version 1.0.0, temperature
 * 0.3), opens that version in the builder, changes the chat node's temperature and saves 1.1.0,
 * then compares 1.0.0 → 1.1.0 from the agent's page: the chat node is marked changed on the
 * canvas, and the temperature is listed with its old and new values.
 */

import type { Locator, Page } from "@playwright/test";
import { expect, logIn, test } from "./fixtures";

test.use({ locale: "zh-CN" });

/** A node of the builder's canvas, by name. */
const builderNode = (page: Page, name: string): Locator => page.locator(`.react-flow__node[data-id="${name}"]`);
/** A node of the diff's canvas, with its mark (`data-mark`: added, removed, changed, same). */
const diffNode = (page: Page, name: string): Locator => page.locator(`.diff-node[data-node-id="${name}"]`);

test("a developer edits a template's version in the builder and sees the change in the version diff", async ({
  page,
}) => {
  const name = `Diff E2E ${Date.now()}`;
  const versionItem = (version: string) =>
    page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: `版本 ${version}` }) });

  await test.step("the developer makes an agent from the plain-chat template: version 1.0.0", async () => {
    await logIn(page, "developer");
    await page.goto("/studio/templates");
    await page.getByRole("listitem").filter({ hasText: "plain_chat" }).getByRole("link").click();
    await page.getByRole("button", { name: "使用此模板" }).click();
    const form = page.getByRole("main");
    await form.getByLabel(/temperature/).fill("0.3");
    await form.getByLabel("智能体名称").fill(name);
    await form.getByRole("button", { name: "创建智能体" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(versionItem("1.0.0")).toContainText("草稿");
    // One version: nothing to compare yet.
    await expect(page.getByRole("form", { name: "比较两个版本" })).toHaveCount(0);
  });

  await test.step("opens 1.0.0 in the builder, changes the chat node's temperature and saves 1.1.0", async () => {
    await versionItem("1.0.0").getByRole("link", { name: "在编排器中打开" }).click();
    await expect(page).toHaveURL(/\/studio\/agents\/[^/]+\/builder\?from=/);
    await builderNode(page, "chat").click();
    const side = page.getByRole("complementary", { name: "选中的元素" });
    await expect(side.getByRole("heading", { name: "节点 chat" })).toBeVisible();
    const temperature = side.getByLabel("温度", { exact: true });
    await expect(temperature).toHaveValue("0.3");
    await temperature.fill("1.2");
    const toolbar = page.getByRole("toolbar", { name: "编排工具" });
    await expect(toolbar.getByText("没有问题")).toBeVisible();
    const save = toolbar.getByRole("button", { name: "保存版本" });
    await expect(save).not.toHaveAttribute("aria-disabled", "true");
    await save.click();
    const dialog = page.getByRole("dialog", { name: "保存新版本" });
    await expect(dialog.getByLabel("版本号")).toHaveValue("1.1.0");
    await dialog.getByLabel("更新说明").fill("回答更发散一些：温度 1.2。");
    await dialog.getByRole("button", { name: "保存版本" }).click();
    await expect(page.getByText("1.1.0 版本已保存为草稿。")).toBeVisible();
  });

  await test.step("compares 1.0.0 → 1.1.0 from the agent's page", async () => {
    await page.getByRole("link", { name: "到智能体页面提交审核" }).click();
    await expect(versionItem("1.1.0")).toContainText("草稿");
    const compare = page.getByRole("form", { name: "比较两个版本" });
    // The previous version and the latest are chosen already.
    await expect(compare.getByLabel("原版本")).toHaveValue(/.+/);
    await expect(compare.getByLabel("原版本").locator("option:checked")).toHaveText(/^1\.0\.0/);
    await expect(compare.getByLabel("新版本").locator("option:checked")).toHaveText(/^1\.1\.0/);
    await compare.getByRole("button", { name: "比较版本" }).click();
    await expect(page).toHaveURL(/\/studio\/agents\/[^/]+\/diff\?from=[^&]+&to=/);
    await expect(page.getByRole("heading", { level: 1, name: `比较 ${name} 的版本` })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "从 1.0.0 到 1.1.0" })).toBeVisible();
  });

  await test.step("the chat node is marked changed and the temperature is listed, 0.3 → 1.2", async () => {
    await expect(diffNode(page, "chat")).toHaveAttribute("data-mark", "changed");
    await expect(diffNode(page, "chat")).toContainText("修改");
    await expect(page.locator('.react-flow__node[data-id="chat"]')).toHaveAttribute("aria-label", /chat，修改/);
    // Start and end are the same in both versions.
    await expect(diffNode(page, "__start__")).toHaveCount(0);
    await expect(page.getByRole("list", { name: "颜色与标记的含义" })).toContainText("修改");
    const changes = page.getByRole("region", { name: "节点 chat" });
    const row = changes.getByRole("listitem").filter({ hasText: "config › temperature" });
    await expect(row.getByRole("deletion")).toHaveText("原值： 0.3");
    await expect(row.getByRole("insertion")).toHaveText("新值： 1.2");
    // Selecting the node on the canvas points at its changes.
    await page.locator('.react-flow__node[data-id="chat"]').click();
    await page.getByRole("link", { name: "查看改动" }).click();
    await expect(changes).toHaveAttribute("aria-current", "true");
  });
});
