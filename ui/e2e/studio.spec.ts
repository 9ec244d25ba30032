/**
 * Journey: from a template to the store, in the browser only. A developer (in Chinese) opens
 * Studio, picks the plain-chat template, fills its parameter form and creates an agent; version
 * 1.0.0 is a draft, and once submitted it waits for review. A reviewer (in English, another
 * context) approves the submission; the developer's agent page shows the version published, and
 * a user finds the agent in the store.
 */

import { asAnotherPerson, expect, graphNode, logIn, searchStore, storeCard, test } from "./fixtures";

test.use({ locale: "zh-CN" });

test("a developer builds an agent from a template, a reviewer approves it, a user finds it", async ({
  page,
  browser,
}) => {
  const name = `Studio E2E ${Date.now()}`;
  const versionItem = () =>
    page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "版本 1.0.0" }) });

  await test.step("the developer opens Studio and the plain-chat template with its graph", async () => {
    await logIn(page, "developer");
    await page.getByRole("link", { name: "工作室", exact: true }).click();
    await expect(page.getByRole("heading", { name: "我的智能体", exact: true })).toBeVisible();
    await page.getByRole("navigation", { name: "工作室栏目" }).getByRole("link", { name: "模板" }).click();
    const card = page.getByRole("listitem").filter({ hasText: "plain_chat" });
    await card.getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1, name: "普通对话" })).toBeVisible();
    // The preview draws the template on the live graph's canvas: start, its one llm node, end.
    await expect(graphNode(page, "chat")).toBeVisible();
    await expect(graphNode(page, "__start__")).toBeVisible();
    await expect(page.getByRole("main")).toContainText("system_prompt");
  });

  await test.step("the parameter form creates the agent with version 1.0.0 as a draft", async () => {
    await page.getByRole("button", { name: "使用此模板" }).click();
    const form = page.getByRole("main");
    await form.getByLabel(/temperature/).fill("0.3");
    await form.getByLabel("智能体名称").fill(name);
    await form.getByRole("button", { name: "创建智能体" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(versionItem()).toContainText("草稿");
    await expect(versionItem()).toContainText("首个版本，基于模板“普通对话”。");
    await expect(graphNode(page, "chat")).toBeVisible();
  });

  await test.step("the developer submits it; it waits for review, and shows in My agents", async () => {
    await versionItem().getByRole("button", { name: "提交审核" }).click();
    await expect(versionItem()).toContainText("待审核");
    await expect(versionItem().getByRole("button", { name: "提交审核" })).toHaveCount(0);
    await page.getByRole("link", { name: "我的智能体" }).first().click();
    await page.getByRole("main").getByRole("searchbox").fill(name);
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
    await expect(row).toContainText("1.0.0");
    await expect(row).toContainText("待审核");
  });

  await test.step("a reviewer approves the submission", async () => {
    await asAnotherPerson(browser, "reviewer", async (review) => {
      await logIn(review, "reviewer");
      await review.goto("/reviews/submissions");
      await review.getByRole("link", { name: new RegExp(name) }).click();
      // The changelog as the developer wrote it (in Chinese).
      await expect(review.getByRole("main")).toContainText("首个版本，基于模板“普通对话”。");
      const approve = review.getByRole("button", { name: /^(approve|批准)$/i });
      await approve.first().click();
      // A page that asks for an optional note first confirms with a second "Approve" in its dialog.
      const confirm = review.getByRole("dialog").getByRole("button", { name: /^(approve|批准)$/i });
      if (await confirm.isVisible()) await confirm.click();
      // What the page shows next is its own; the developer's page below proves the approval.
      await expect(review.getByRole("alert")).toHaveCount(0);
    });
  });

  await test.step("the developer's agent page shows the version published", async () => {
    await page.getByRole("link", { name, exact: true }).click();
    await expect(async () => {
      await page.reload();
      await expect(versionItem()).toContainText("已发布", { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByRole("link", { name: "在商店中查看" })).toBeVisible();
  });

  await test.step("a user finds the agent in the store", async () => {
    await asAnotherPerson(browser, "user", async (user) => {
      await logIn(user, "user");
      await searchStore(user, name);
      await expect(storeCard(user, name)).toBeVisible();
    });
  });
});
