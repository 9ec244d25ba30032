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
  // Something to lay out on the models and knowledge pages (not a default model: runs are unchanged).
  const provider = await admin.call<{ provider_id: number }>("POST", "/api/v1/providers", {
    provider_name: `mobile-${Date.now()}`,
    kind: "openai",
  });
  const serviceName = `mobile-mini-${Date.now()}`;
  await admin.call("POST", "/api/v1/service-configs", {
    provider_id: provider.provider_id,
    service_name: serviceName,
    model: "gpt-4o-mini",
    api_key: "sk-mobile-0123456789abcdef",
  });
  const knowledgeBase = await admin.call<{ id: string; name: string }>("POST", "/api/v1/knowledge-bases", {
    name: `Mobile knowledge ${token}`,
  });
  // Two versions of one agent to compare: plain chat published, support triage submitted over it.
  const developer = await Api.login(baseURL!, "developer");
  const reviewer = await Api.login(baseURL!, "reviewer");
  const diffAgent = await developer.call<{ id: string }>("POST", "/api/v1/developer/agents", {
    name: `Mobile diff ${token}`,
  });
  const versions = `/api/v1/developer/agents/${diffAgent.id}/versions`;
  const first = await developer.call<{ id: string }>("POST", versions, {
    version: "1.0.0",
    template_name: "plain_chat",
  });
  await developer.call("POST", `${versions}/${first.id}/submit`);
  await reviewer.call("POST", `/api/v1/reviews/versions/${first.id}/approve`, { note: "ok" });
  const second = await developer.call<{ id: string }>("POST", versions, {
    version: "1.1.0",
    template_name: "support_triage",
  });
  await developer.call("POST", `${versions}/${second.id}/submit`);

  await page.goto("/");
  await expectFits(page, "login", page.getByLabel(/password|密码/i));

  await logIn(page, "admin", "demo");
  await expectFits(page, "home", heading(page));

  await page.goto(`/chat/${chatId}`);
  await expectFits(page, "chat", page.getByRole("log").getByText(echoOf(said)));

  await page.goto("/store");
  await expectFits(page, "store", page.getByRole("link", { name: "Assistant", exact: true }));
  // The category tree folds into a disclosure above the list; a tag on a card filters the store by it.
  await page.getByRole("button", { name: /^(Category: |分类：)/ }).click();
  await expectFits(page, "store categories", page.getByRole("link", { name: /^(All categories|全部分类)$/ }));
  await page
    .getByRole("listitem")
    .filter({ has: page.getByRole("link", { name: agents.triage.name, exact: true }) })
    .getByRole("link", { name: /Agents tagged support|标签为 support 的智能体/ })
    .click();
  await expect(page).toHaveURL(/[?&]tag=support/);
  await expectFits(page, "store by tag", page.getByRole("button", { name: /^(Tag: support|标签：support)/ }));

  await page.goto(`/store/${agents.triage.id}`);
  await expectFits(page, "agent page", page.getByRole("heading", { name: agents.triage.name, exact: true }));

  await page.goto("/reviews");
  await expectFits(page, "inbox", page.getByRole("link", { name: new RegExp(token) }));

  await page.goto(`/reviews/${taskId}`);
  await expectFits(page, "task", page.getByRole("main").getByText(new RegExp(token)).first());

  await page.goto("/reviews/submissions");
  await expectFits(page, "submissions", page.getByRole("heading", { name: /Submissions|上架申请/ }));

  await page.goto(`/reviews/submissions/${second.id}`);
  await expectFits(page, "submission", page.getByRole("region", { name: /^(Nodes and edges|节点与边)$/ }));

  await page.goto("/account");
  await expectFits(page, "account", heading(page));

  await page.goto("/admin/users");
  await expectFits(page, "admin users", page.getByRole("main").getByText("reviewer@demo.agentpaas.dev").first());

  await page.goto("/admin/usage");
  await expectFits(page, "admin usage", heading(page));

  await page.goto("/admin/audit");
  await expectFits(page, "admin audit log", heading(page));

  await page.goto("/admin/categories");
  await expectFits(page, "admin store categories", heading(page));

  await page.goto("/tools");
  await expectFits(page, "tools", page.getByRole("main").getByText("current_time").first());

  await page.goto("/providers");
  await expectFits(page, "models", page.getByRole("main").getByText(serviceName).first());

  await page.goto("/knowledge");
  await expectFits(page, "knowledge bases", page.getByRole("link", { name: knowledgeBase.name }));

  await page.goto(`/knowledge/${knowledgeBase.id}`);
  await expectFits(page, "knowledge base", page.getByRole("heading", { level: 1, name: knowledgeBase.name }));

  await page.goto(`/studio/agents/${agents.triage.id}`);
  await expectFits(
    page,
    "studio agent",
    page.getByRole("region", { name: /^(Usage|使用情况)$/ }).getByText(/Failure rate|失败率/),
  );

  await page.goto(`/studio/agents/${diffAgent.id}/diff?from=${first.id}&to=${second.id}`);
  await expectFits(page, "version diff", page.getByRole("region", { name: /^(Version settings|版本设置)$/ }));

  await page.goto("/node-types");
  await expectFits(page, "node types", page.getByRole("main").getByText("human", { exact: true }).first());

  // Tenants are the platform tenant's pages: sign in there.
  await page.evaluate(() => window.sessionStorage.clear());
  await logIn(page, "admin", "platform");
  await page.goto("/tenants");
  await expectFits(page, "tenants", page.getByRole("main").getByText("demo", { exact: true }).first());
});
