/**
 * Personal settings follow the person: a new user picks 中文 and the dark theme on the account
 * page; the page turns Chinese and dark at once, stays so after a reload, and after signing out,
 * forgetting this browser's own memory of the choice and signing in again the account's saved
 * settings bring both back. On a phone (390 px) a fresh browser is Chinese and dark from the
 * sign-in on, the settings fit the width, and "follow the system" tracks the device's colour
 * scheme live.
 */

import type { Page } from "@playwright/test";
import { Api } from "./api";
import { expect, test } from "./fixtures";

const PASSWORD = "Settings-e2e-2030!";
// base.css: --bg of each theme, the body's background.
const DARK_BG = "rgb(15, 19, 23)";
const LIGHT_BG = "rgb(245, 246, 248)";

test.use({ locale: "en-US", colorScheme: "light" });

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto("/");
  await page.getByLabel(/email|邮箱/i).fill(email);
  await page.getByLabel(/password|密码/i).fill(PASSWORD);
  await page.getByRole("button", { name: /sign in|log in|登录/i }).click();
  await expect(page.getByRole("banner")).toBeVisible();
}

async function expectTheme(page: Page, theme: "light" | "dark"): Promise<void> {
  await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
  await expect
    .poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor))
    .toBe(theme === "dark" ? DARK_BG : LIGHT_BG);
}

async function expectChinese(page: Page): Promise<void> {
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 2, name: "设置" })).toBeVisible();
  await expect(page.getByRole("radio", { name: "深色" })).toBeChecked();
}

/** The next save of the preferences (the page applies a choice before the server has it). */
const saved = (page: Page) =>
  page.waitForResponse((r) => r.url().endsWith("/api/v1/me/preferences") && r.request().method() === "PATCH");

test("language and theme chosen in settings follow the person across reloads, sign-ins and devices", async ({
  page,
  browser,
  baseURL,
}) => {
  const email = `settings-${Date.now().toString(36)}@demo.agentpaas.dev`;

  await test.step("a new user (setup through the API)", async () => {
    const admin = await Api.login(baseURL!, "admin");
    await admin.call("POST", "/api/v1/users", { email, password: PASSWORD, role: "user" });
  });

  await test.step("in English and light, the user picks the dark theme and 中文", async () => {
    await signIn(page, email);
    await expectTheme(page, "light");
    await page.goto("/account");
    const settings = page.getByRole("region", { name: "Settings" });
    await expect(settings.getByRole("radio", { name: "Follow the system" })).toBeChecked();
    const theme = saved(page);
    await settings.getByRole("radio", { name: "Dark" }).check();
    expect((await theme).status()).toBe(200);
    await expectTheme(page, "dark");
    const language = saved(page);
    await settings.getByRole("combobox", { name: "Language" }).selectOption("zh-CN");
    expect((await language).status()).toBe(200);
    await expectChinese(page);
  });

  await test.step("after a reload: still Chinese and dark", async () => {
    await page.reload();
    await expectChinese(page);
    await expectTheme(page, "dark");
  });

  await test.step("signed out, with this browser's memory cleared, and in again: the account brings them back", async () => {
    await page.getByRole("banner").getByRole("button", { name: "退出登录" }).click();
    await page.evaluate(() => window.localStorage.clear());
    await page.reload();
    // The browser's own settings before sign-in: English (locale) and light (colour scheme).
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await expectTheme(page, "light");
    await signIn(page, email);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expectTheme(page, "dark");
    await page.goto("/account");
    await expectChinese(page);
  });

  await test.step("on a phone (390 px), a fresh browser signs in Chinese and dark; 'system' follows the device", async () => {
    const context = await browser.newContext({
      baseURL: baseURL!,
      locale: "en-US",
      colorScheme: "light",
      timezoneId: "UTC",
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const phone = await context.newPage();
    try {
      await signIn(phone, email);
      await expectTheme(phone, "dark");
      await phone.goto("/account");
      await expectChinese(phone);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);

      const settings = phone.getByRole("region", { name: "设置" });
      const system = saved(phone);
      await settings.getByRole("radio", { name: "跟随系统" }).check();
      expect((await system).status()).toBe(200);
      await expectTheme(phone, "light"); // the device is light
      await phone.emulateMedia({ colorScheme: "dark" });
      await expectTheme(phone, "dark"); // live, without a reload
      await phone.emulateMedia({ colorScheme: "light" });
      await expectTheme(phone, "light");
    } finally {
      await context.close();
    }
  });
});
