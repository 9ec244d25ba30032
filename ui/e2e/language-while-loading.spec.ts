/**
 * A language picked while the person's saved settings are still loading stays picked. Right
 * after a reload the page asks the server for the saved language; a person quick enough to
 * switch before it answers must not see the page turn back. On a phone (390 px, the switch in
 * the header's menu), in both directions: saved English, picked 中文; saved 中文, picked English.
 */

import type { Page, Route } from "@playwright/test";
import { Api } from "./api";
import { expect, test } from "./fixtures";

const PASSWORD = "Language-e2e-2030!";
const PREFERENCES = "**/api/v1/me/preferences";
type Language = "zh-CN" | "en";
const TEXTS: Record<Language, { menu: string; language: string; store: string; logOut: string }> = {
  "zh-CN": { menu: "菜单", language: "语言", store: "智能体商店", logOut: "退出登录" },
  en: { menu: "Menu", language: "Language", store: "Store", logOut: "Log out" },
};

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** The header's menu, opened (on a phone the language switch and the links are in it). */
async function openMenu(page: Page, language: Language): Promise<void> {
  const menu = page.getByRole("button", { name: TEXTS[language].menu });
  await expect(menu).toBeVisible();
  if ((await menu.getAttribute("aria-expanded")) !== "true") await menu.click();
}

/** Pick `to` in the header's language switch and wait until it is saved. */
async function pickLanguage(page: Page, from: Language, to: Language): Promise<void> {
  const saved = page.waitForResponse(
    (r) => r.url().endsWith("/api/v1/me/preferences") && r.request().method() === "PATCH",
  );
  await openMenu(page, from);
  await page.getByRole("combobox", { name: TEXTS[from].language }).selectOption(to);
  expect((await saved).status()).toBe(200);
}

async function expectLanguage(page: Page, language: Language): Promise<void> {
  await expect(page.locator("html")).toHaveAttribute("lang", language);
  await openMenu(page, language);
  await expect(page.getByRole("link", { name: TEXTS[language].store, exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: TEXTS[language].logOut })).toBeVisible();
}

for (const [saved, picked] of [
  ["en", "zh-CN"],
  ["zh-CN", "en"],
] as const) {
  test.describe(`saved ${saved}, picked ${picked}`, () => {
    test.use({ locale: saved === "en" ? "en-US" : "zh-CN" });

    test("a language picked while the saved settings load stays picked", async ({ page, baseURL }) => {
      const email = `language-${saved}-${Date.now().toString(36)}@demo.agentpaas.dev`;

      await test.step(`a new user whose saved language is ${saved}`, async () => {
        const admin = await Api.login(baseURL!, "admin");
        await admin.call("POST", "/api/v1/users", { email, password: PASSWORD, role: "user" });
        await page.goto("/");
        await page.getByLabel(/email|邮箱/i).fill(email);
        await page.getByLabel(/password|密码/i).fill(PASSWORD);
        await page.getByRole("button", { name: /sign in|log in|登录/i }).click();
        await expect(page.getByRole("banner")).toBeVisible();
        const other: Language = saved === "en" ? "zh-CN" : "en";
        await pickLanguage(page, saved, other);
        await pickLanguage(page, other, saved);
        await expectLanguage(page, saved);
      });

      await test.step(`reloaded, ${picked} is picked before the saved settings arrive`, async () => {
        // The saved settings are read from the server at once and handed to the page only
        // after the person has picked: the slow answer a busy server gives.
        let requested: () => void = () => undefined;
        const asked = new Promise<void>((resolve) => (requested = resolve));
        let answer: () => Promise<void> = async () => undefined;
        await page.route(PREFERENCES, async (route: Route) => {
          if (route.request().method() !== "GET") return route.continue();
          const response = await route.fetch();
          answer = () => route.fulfill({ response });
          requested();
        });
        await page.reload();
        await asked;
        await expectLanguage(page, saved);
        await pickLanguage(page, saved, picked);
        await expectLanguage(page, picked);

        const arrived = page.waitForResponse(
          (r) => r.url().endsWith("/api/v1/me/preferences") && r.request().method() === "GET",
        );
        await answer();
        await arrived;
        await page.unroute(PREFERENCES);
        // The page gives no sign of having read the answer: give it a moment to (wrongly) act.
        await page.waitForTimeout(500);
        await expectLanguage(page, picked);
      });

      await test.step(`and after another reload the choice (${picked}) is what is saved`, async () => {
        await page.reload();
        await expectLanguage(page, picked);
      });
    });
  });
}
