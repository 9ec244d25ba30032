/**
 * Notifications: a reviewer rejects a developer's submission; the developer sees it in the bell
 * on a phone in Chinese, opens the list, reads the reason, then sees the same notification in
 * English on a desktop and marks everything read, after which the bell shows no count.
 */

import { Api } from "./api";
import { asAnotherPerson, expect, logIn, test } from "./fixtures";

test.use({ locale: "zh-CN", viewport: { width: 390, height: 844 } });

const REASON = "请补充系统提示词";

test("a rejected submission shows in the developer's bell, in zh-CN and en", async ({ page, browser, baseURL }) => {
  const name = `Notified ${Date.now().toString(36)}`;

  await test.step("the reviewer rejects the developer's submission (setup through the API)", async () => {
    const developer = await Api.login(baseURL!, "developer");
    const reviewer = await Api.login(baseURL!, "reviewer");
    const agent = await developer.call<{ id: string }>("POST", "/api/v1/developer/agents", {
      name,
      description: "An agent whose first version is sent back.",
      tags: [],
    });
    const version = await developer.call<{ id: string }>("POST", `/api/v1/developer/agents/${agent.id}/versions`, {
      version: "1.0.0",
      template_name: "plain_chat",
    });
    await developer.call("POST", `/api/v1/developer/agents/${agent.id}/versions/${version.id}/submit`);
    await reviewer.call("POST", `/api/v1/reviews/versions/${version.id}/reject`, { reason: REASON });
  });

  await test.step("on a phone in Chinese, the bell shows unread notifications", async () => {
    await logIn(page, "developer");
    const bell = page.getByRole("link", { name: /通知：\d+ 条未读/ });
    await expect(bell).toBeVisible();
    await expect(page.getByTestId("notification-count")).toHaveText(/^\d+\+?$/);
    await bell.click();
    await expect(page.getByRole("heading", { level: 1, name: "通知" })).toBeVisible();
    const item = page.getByRole("listitem").filter({ hasText: name });
    await expect(item).toContainText("版本未通过审核");
    await expect(item).toContainText(REASON);
    // Nothing wider than the phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  await test.step("on a desktop in English, the same notification; marking all read empties the bell", async () => {
    await asAnotherPerson(browser, "developer-en", async (desk) => {
      await logIn(desk, "developer");
      await desk.getByRole("link", { name: /Notifications: \d+ unread/ }).click();
      const item = desk.getByRole("listitem").filter({ hasText: name });
      await expect(item).toContainText("Version rejected");
      await expect(item).toContainText(`Version 1.0.0 of ${name} was rejected: ${REASON}`);
      await desk.getByRole("button", { name: "Mark all read" }).click();
      await expect(desk.getByRole("link", { name: "Notifications: none unread" })).toBeVisible();
      await expect(desk.getByTestId("notification-count")).toHaveCount(0);
    });
  });
});
