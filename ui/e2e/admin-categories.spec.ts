/**
 * Journey: an admin (in Chinese) edits the store's categories under Admin → 商店分类. The shared
 * categories that come with the platform are marked and offer nothing to change; the admin adds a
 * category of the tenant's own under a shared one, a sub-category under it, renames it, moves it
 * to the top level, and finds it in the store's category filter. Deleting it is refused while its
 * sub-category is in it (the dialog says why), and works once that is gone. At 390 px (a phone)
 * the page fits its width, in Chinese and in English.
 */

import type { Page } from "@playwright/test";
import { expect, logIn, test } from "./fixtures";

test.use({ locale: "zh-CN" });

const PHONE = { width: 390, height: 844 };

/** One category's row in the tree, by name. */
const row = (page: Page, name: string) => page.locator(`[data-category="${name}"] > .category-row`);

/** The page's width: at most the viewport's when nothing sticks out sideways. */
const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

test("an admin adds, renames, moves and deletes the store's categories, also on a phone", async ({ page }) => {
  const stamp = Date.now();
  const name = `E2E 分类 ${stamp}`;
  const renamed = `E2E 财务 ${stamp}`;
  const child = `E2E 发票 ${stamp}`;
  const tree = page.getByRole("list", { name: "分类树" });

  await test.step("the admin opens Admin → 商店分类: shared categories are marked read-only", async () => {
    await logIn(page, "admin", "demo");
    await page.getByRole("link", { name: "管理", exact: true }).click();
    await page.getByRole("navigation", { name: "管理" }).getByRole("link", { name: "商店分类" }).click();
    await expect(page).toHaveURL(/\/admin\/categories$/);
    await expect(page.getByRole("heading", { level: 2, name: "商店分类" })).toBeVisible();
    await expect(row(page, "Engineering")).toContainText("共享");
    await expect(row(page, "Engineering").getByRole("button")).toHaveCount(0);
  });

  await test.step("adds a category under a shared one, and a sub-category under it", async () => {
    await page.locator("summary", { hasText: "添加分类" }).click();
    const form = page.getByRole("form", { name: "添加分类" });
    await form.getByLabel("名称", { exact: true }).fill(name);
    await form.getByLabel("上级").selectOption({ label: "\u00a0\u00a0Engineering" });
    await form.getByRole("button", { name: "添加分类" }).click();
    await expect(form.getByRole("status")).toHaveText(`已添加 ${name}。`);
    await expect(page.locator('[data-category="Engineering"]').locator(`[data-category="${name}"]`)).toHaveCount(1);
    await form.getByLabel("名称", { exact: true }).fill(child);
    await form.getByLabel("上级").selectOption({ label: `\u00a0\u00a0\u00a0\u00a0${name}` });
    await form.getByRole("button", { name: "添加分类" }).click();
    await expect(form.getByRole("status")).toHaveText(`已添加 ${child}。`);
    await expect(page.locator(`[data-category="${name}"]`).locator(`[data-category="${child}"]`)).toHaveCount(1);
  });

  await test.step("renames it in place and moves it to the top level", async () => {
    await row(page, name)
      .getByRole("button", { name: `重命名 ${name}` })
      .click();
    const input = row(page, name).getByRole("textbox", { name: `${name} 的新名称` });
    await input.fill(renamed);
    await input.press("Enter");
    await expect(row(page, renamed)).toBeVisible();
    await row(page, renamed).getByLabel(`把 ${renamed} 移到`).selectOption({ label: "顶层" });
    await expect(tree.locator(`:scope > [data-category="${renamed}"]`)).toHaveCount(1);
    await expect(page.locator('[data-category="Engineering"]').locator(`[data-category="${renamed}"]`)).toHaveCount(0);
  });

  await test.step("the store's category filter shows it", async () => {
    await page.getByRole("link", { name: "智能体商店" }).click();
    await expect(page.getByRole("navigation", { name: "分类" })).toContainText(renamed);
    await page.goBack();
    await expect(row(page, renamed)).toBeVisible();
  });

  await test.step("deleting it is refused while its sub-category is in it", async () => {
    await row(page, renamed)
      .getByRole("button", { name: `删除 ${renamed}` })
      .click();
    const dialog = page.getByRole("dialog", { name: "删除这个分类？" });
    await dialog.getByRole("button", { name: "删除" }).click();
    await expect(dialog).toContainText("1 sub-category");
    await dialog.getByRole("button", { name: "取消" }).click();
    await expect(row(page, renamed)).toBeVisible();
  });

  await test.step("on a phone (390 px) the page fits its width, in Chinese and in English", async () => {
    // The language switch is in the header's menu on a phone: switch at full width, then measure.
    const full = page.viewportSize()!;
    // The add form open too (it folds shut when the page is left): its fields must wrap as well.
    const form = page.getByRole("form", { name: "添加分类" });
    if (!(await form.isVisible())) await page.locator("summary", { hasText: "添加分类" }).click();
    await expect(form).toBeVisible();
    const fitsPhone = async (heading: string) => {
      await page.setViewportSize(PHONE);
      await expect(page.getByRole("heading", { level: 2, name: heading })).toBeVisible();
      await expect(page.getByRole("form", { name: /添加分类|Add a category/ })).toBeVisible();
      await expect(row(page, child)).toBeVisible();
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await page.setViewportSize(full);
    };
    await fitsPhone("商店分类");
    await page.getByRole("combobox", { name: "语言" }).selectOption("en");
    await expect(row(page, "Engineering")).toContainText("Shared");
    await expect(row(page, renamed).getByRole("button", { name: `Rename ${renamed}` })).toBeVisible();
    await fitsPhone("Store categories");
    await page.getByRole("combobox", { name: "Language" }).selectOption("zh-CN");
    await expect(page.getByRole("heading", { level: 2, name: "商店分类" })).toBeVisible();
  });

  await test.step("once the sub-category is gone, the category is deleted", async () => {
    await row(page, child)
      .getByRole("button", { name: `删除 ${child}` })
      .click();
    await page.getByRole("dialog", { name: "删除这个分类？" }).getByRole("button", { name: "删除" }).click();
    await expect(row(page, child)).toHaveCount(0);
    await row(page, renamed)
      .getByRole("button", { name: `删除 ${renamed}` })
      .click();
    await page.getByRole("dialog", { name: "删除这个分类？" }).getByRole("button", { name: "删除" }).click();
    await expect(row(page, renamed)).toHaveCount(0);
    await expect(row(page, "Engineering")).toBeVisible();
  });
});
