/**
 * Budgets that pause: an admin, on a phone in Chinese, gives a new agent a budget of zero tokens;
 * a person chatting with it on a desktop in English sees the run wait for budget (not fail); the
 * admin finds the waiting run in the Budgets panel and removes the limit; the person's answer
 * then arrives without a reload.
 */

import { publishFromTemplate } from "./api";
import { asAnotherPerson, echoOf, expect, logIn, messages, send, startChatFromStore, test } from "./fixtures";

test.use({ locale: "zh-CN", viewport: { width: 390, height: 844 } });

test("a run waits for an agent's budget and goes on when the admin raises it", async ({ page, browser, baseURL }) => {
  const name = `Budgeted ${Date.now().toString(36)}`;
  const said = `Are you there? (${name})`;
  const agent = await publishFromTemplate(baseURL!, {
    name,
    description: "An agent whose budget runs out.",
    template: "plain_chat",
    parameters: {},
    tags: ["budget"],
  });

  const budgetOf = () => page.getByRole("form", { name: `${name} 的额度` });

  await test.step("on a phone in Chinese, the admin sets the agent's monthly budget to 0", async () => {
    await logIn(page, "admin", "demo");
    await page.goto("/admin/usage");
    await expect(page.getByRole("heading", { name: "额度", exact: true })).toBeVisible();
    await budgetOf().getByLabel("每月上限").fill("0");
    await budgetOf().getByRole("button", { name: "保存" }).click();
    await expect(page.getByRole("listitem").filter({ hasText: name })).toContainText("已用完");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  await asAnotherPerson(browser, "user-en", async (chat) => {
    await test.step("in English, a person's run waits for budget instead of failing", async () => {
      await logIn(chat, "user");
      await startChatFromStore(chat, agent.name);
      await send(chat, said);
      const banner = chat.getByRole("status").filter({ hasText: "Waiting for budget" });
      await expect(banner).toBeVisible();
      await expect(banner).toContainText("This agent's monthly token budget is used up.");
      await expect(banner).toContainText("paused, not failed");
    });

    await test.step("the admin sees the waiting run and removes the limit", async () => {
      await page.getByRole("region", { name: "额度" }).getByRole("button", { name: "刷新" }).click();
      const waiting = page.getByRole("list", { name: "等待额度的运行" });
      await expect(waiting).toContainText(name);
      await budgetOf().getByLabel("每月上限").fill("");
      await budgetOf().getByRole("button", { name: "保存" }).click();
      await expect(page.getByRole("status").filter({ hasText: "1 个等待中的运行将继续。" })).toBeVisible();
    });

    await test.step("the person's answer arrives without a reload", async () => {
      await expect(messages(chat).getByText(echoOf(said))).toBeVisible();
      await expect(chat.getByRole("status").filter({ hasText: "Waiting for budget" })).toHaveCount(0);
    });
  });
});
