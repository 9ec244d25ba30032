/**
 * Journey 4: Chinese first. With the browser's locale zh-CN the first screen is Chinese; the
 * header's switch turns the visible texts to English and back, `<html lang>` follows, and the
 * choice survives a reload.
 */

import { expect, logIn, test } from "./fixtures";

test.use({ locale: "zh-CN" });

test("zh-CN first, and the language switch changes what a person reads", async ({ page }) => {
  await test.step("the first screen is Chinese", async () => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByLabel(/邮箱|电子邮件/)).toBeVisible();
    await expect(page.getByLabel("密码")).toBeVisible();
    await expect(page.getByRole("button", { name: "登录" })).toBeVisible();
    await expect(page.locator("body")).not.toContainText(/sign in|password/i);
  });

  await test.step("signed in, the shell speaks Chinese", async () => {
    await logIn(page, "admin", "demo");
    const nav = page.getByRole("navigation", { name: "主导航" });
    await expect(nav.getByRole("link", { name: "智能体商店" })).toBeVisible();
    await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(/[\u4e00-\u9fff]/);
  });

  await test.step("switching to English changes the visible texts", async () => {
    await page.getByRole("combobox", { name: "语言" }).selectOption("en");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Store", exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
    await expect(page.getByRole("link", { name: "智能体商店" })).toHaveCount(0);
    await expect(page.getByRole("heading", { level: 1 })).not.toContainText(/[\u4e00-\u9fff]/);
  });

  await test.step("the choice is remembered after a reload", async () => {
    await page.reload();
    await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  });

  await test.step("and switching back to 中文 restores Chinese", async () => {
    await page.getByRole("combobox", { name: "Language" }).selectOption("zh-CN");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    const nav = page.getByRole("navigation", { name: "主导航" });
    await expect(nav.getByRole("link", { name: "智能体商店" })).toBeVisible();
    await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  });
});
