/**
 * Journey 5: every page at 390×844 (a phone) fits its width: `document.documentElement.scrollWidth`
 * stays within 390 px. Each page is checked once its content has loaded; an overflowing page gets
 * a screenshot and the elements that stick out are named.
 */

import type { Locator, Page } from "@playwright/test";
import { Api, chatTurn, openTask } from "./api";
import { echoOf, expect, logIn, test } from "./fixtures";

const WIDTH = 390;

test.use({ viewport: { width: WIDTH, height: 844 }, isMobile: true, hasTouch: true });

/** The page's width and, when it overflows, the outermost elements reaching past the viewport. */
async function measure(page: Page): Promise<{ scrollWidth: number; culprits: string[] }> {
  return page.evaluate((width) => {
    const scrollWidth = document.documentElement.scrollWidth;
    const culprits: string[] = [];
    if (scrollWidth > width) {
      for (const element of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
        const right = element.getBoundingClientRect().right;
        const parent = element.parentElement;
        if (right > width + 0.5 && (!parent || parent.getBoundingClientRect().right <= width + 0.5)) {
          const classes = typeof element.className === "string" ? element.className.trim().split(/\s+/) : [];
          const name = [element.tagName.toLowerCase(), ...classes.filter(Boolean)].join(".");
          culprits.push(`${name} (right edge ${Math.round(right)} px)`);
        }
      }
    }
    return { scrollWidth, culprits: culprits.slice(0, 8) };
  }, WIDTH);
}

async function expectFits(page: Page, name: string, ready: Locator): Promise<void> {
  await test.step(`${name} fits ${WIDTH} px`, async () => {
    await expect(ready).toBeVisible();
    const { scrollWidth, culprits } = await measure(page);
    if (scrollWidth > WIDTH) {
      await page.screenshot({ path: test.info().outputPath(`${name.replace(/\W+/g, "-")}-overflow.png`) });
    }
    expect
      .soft(scrollWidth, `${name} (${page.url()}) is ${scrollWidth} px wide: ${culprits.join(", ")}`)
      .toBeLessThanOrEqual(WIDTH);
  });
}

function heading(page: Page): Locator {
  return page.getByRole("heading", { level: 1 }).first();
}

test("every page fits a 390×844 screen", async ({ page, baseURL, agents }) => {
  const token = `MOBILE-${Date.now()}`;
  const admin = await Api.login(baseURL!, "admin");
  const said = `A message on a small screen (${token})`;
  const chatId = await chatTurn(admin, "Assistant", said);
  const taskId = await openTask(admin, agents.approval.id, token);

  await page.goto("/");
  await expectFits(page, "login", page.getByLabel(/password|密码/i));

  await logIn(page, "admin", "demo");
  await expectFits(page, "home", heading(page));

  await page.goto(`/chat/${chatId}`);
  await expectFits(page, "chat", page.getByRole("log").getByText(echoOf(said)));

  await page.goto("/store");
  await expectFits(page, "store", page.getByRole("link", { name: "Assistant", exact: true }));

  await page.goto(`/store/${agents.triage.id}`);
  await expectFits(page, "agent page", page.getByRole("heading", { name: agents.triage.name }));

  await page.goto("/reviews");
  await expectFits(page, "inbox", page.getByRole("link", { name: new RegExp(token) }));

  await page.goto(`/reviews/${taskId}`);
  await expectFits(page, "task", page.getByRole("main").getByText(new RegExp(token)).first());

  await page.goto("/reviews/submissions");
  await expectFits(page, "submissions", page.getByRole("heading", { name: /Submissions|上架申请/ }));

  await page.goto("/account");
  await expectFits(page, "account", heading(page));

  await page.goto("/admin/users");
  await expectFits(page, "admin users", page.getByRole("main").getByText("reviewer@demo.agentpaas.dev").first());

  await page.goto("/admin/usage");
  await expectFits(page, "admin usage", heading(page));

  await page.goto("/admin/audit");
  await expectFits(page, "admin audit log", heading(page));

  await page.goto("/tools");
  await expectFits(page, "tools", page.getByRole("main").getByText("current_time").first());

  await page.goto("/node-types");
  await expectFits(page, "node types", page.getByRole("main").getByText("human", { exact: true }).first());

  // Tenants are the platform tenant's pages: sign in there.
  await page.evaluate(() => window.sessionStorage.clear());
  await logIn(page, "admin", "platform");
  await page.goto("/tenants");
  await expectFits(page, "tenants", page.getByRole("main").getByText("demo", { exact: true }).first());
});
