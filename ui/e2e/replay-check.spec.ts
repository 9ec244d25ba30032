/**
 * Journey: a replay check of a candidate version on the published version's recorded
 * conversations. The setup publishes a support triage agent of its own and chats with it twice
 * (the offline scripted classifier says "billing", so both conversations go to the billing desk).
 *
 * In Chinese, the developer's draft sends billing to the general desk (one router condition
 * changed): from the version's "回放检查" in Studio the check runs, both conversations are
 * reported "路径不同", and a conversation opened shows both paths in words and on the graph; the
 * report fits a phone. In English, a reviewer meets a submission whose change touches no path in
 * a tenant that requires a check before approval: approving is refused in plain words, the
 * reviewer starts the check, both conversations are "Same", and the approval then goes through.
 */

import type { Locator, Page } from "@playwright/test";
import { Api, chatTurn, publishFromTemplate, type PublishedAgent } from "./api";
import { platformUrl } from "./env";
import { expect, logIn, test } from "./fixtures";

type Definition = {
  nodes: { name: string; type: string; config: Record<string, unknown> }[];
} & Record<string, unknown>;

interface Version {
  id: string;
  version: string;
  status: string;
  workflow_template_id: string | null;
  template_parameters: Record<string, unknown> | null;
}

const CONVERSATIONS = ["My invoice charged me twice", "Can I get a refund for last month?"];

/** A triage agent of this test's own, published, with two finished conversations of a user's. */
async function publishedWithConversations(label: string): Promise<PublishedAgent & { published: Version }> {
  const url = platformUrl();
  const agent = await publishFromTemplate(url, {
    name: `Replay ${label} ${Date.now()}`,
    description: "Support triage for the replay check journey.",
    template: "support_triage",
    parameters: { company_name: "Replay Company" },
    tags: ["replay"],
  });
  const user = await Api.login(url, "user");
  for (const said of CONVERSATIONS) await chatTurn(user, agent.name, `${said} (${label})`);
  const developer = await Api.login(url, "developer");
  const detail = await developer.call<{ versions: Version[] }>("GET", `/api/v1/developer/agents/${agent.id}`);
  const published = detail.versions.find((v) => v.status === "published");
  if (!published) throw new Error(`${agent.name} has no published version`);
  return { ...agent, published };
}

/** A draft 1.1.0 of the agent whose router sends what was billing to the general desk. */
async function draftRoutingBillingElsewhere(agent: PublishedAgent & { published: Version }): Promise<string> {
  const developer = await Api.login(platformUrl(), "developer");
  const base = `/api/v1/developer/agents/${agent.id}`;
  // The template's definition with the published version's parameters, as the builder opens it.
  const published = await developer.call<Version>("GET", `${base}/versions/${agent.published.id}`);
  const made = await developer.call<{ definition: Definition }>(
    "POST",
    `/api/v1/templates/${published.workflow_template_id}/instantiate`,
    { parameters: published.template_parameters ?? {} },
  );
  const router = made.definition.nodes.find((n) => n.name === "triage_router")!;
  const cases = router.config.cases as { when: string; route: string }[];
  cases[0] = { ...cases[0]!, when: "triage.category == 'refund only'" };
  const draft = await developer.call<{ id: string }>("POST", `${base}/versions`, {
    version: "1.1.0",
    workflow_definition: made.definition,
    changelog: "Billing questions go to the general desk.",
  });
  return draft.id;
}

/** The agent's version item in Studio's list. */
function versionItem(page: Page, heading: string): Locator {
  return page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: heading, exact: true }) });
}

/** A replayed conversation's row, by its title. */
function conversationRow(page: Page, title: string): Locator {
  return page.locator(".replay-row").filter({ has: page.getByText(title, { exact: true }) });
}

/** A node of a path canvas, by name, with its mark (`data-path-mark`: both, candidate, recorded, none). */
function pathNode(details: Locator, name: string): Locator {
  return details.locator(`.replay-node[data-node-id="${name}"]`);
}

test.describe("in Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("a developer runs a replay check of a draft that changes a router condition", async ({ page }) => {
    let agent: PublishedAgent & { published: Version };

    await test.step("a published triage agent with two conversations, and a draft that routes billing elsewhere", async () => {
      agent = await publishedWithConversations("zh");
      await draftRoutingBillingElsewhere(agent);
    });

    await test.step("the developer starts a replay check of the draft from Studio", async () => {
      await logIn(page, "developer");
      await page.goto(`/studio/agents/${agent.id}`);
      await expect(page.getByRole("heading", { level: 1, name: agent.name })).toBeVisible();
      // The published version offers no check; the draft does.
      await expect(versionItem(page, "版本 1.0.0").getByRole("button", { name: /回放检查/ })).toHaveCount(0);
      await versionItem(page, "版本 1.1.0").getByRole("button", { name: "回放检查版本 1.1.0" }).click();
      const panel = page.getByRole("region", { name: "回放检查" });
      await expect(panel.getByText("此版本还没有回放检查。")).toBeVisible();
      await expect(panel.getByRole("spinbutton", { name: "对话数" })).toHaveValue("20");
      await expect(panel.getByRole("radio", { name: "实时调用模型或工具" })).toBeChecked();
      await panel.getByRole("button", { name: "开始回放检查" }).click();
    });

    await test.step("both conversations are reported as taking a different path", async () => {
      const panel = page.getByRole("region", { name: "回放检查" });
      const summary = panel.getByRole("group", { name: "汇总" });
      await expect(summary).toContainText("已回放 2 个对话", { timeout: 60_000 });
      await expect(panel.locator(".replay-latest")).toHaveAttribute("data-status", "completed");
      await expect(summary.locator('[data-summary="different_path"]')).toHaveText("路径不同 2");
      await expect(summary.locator('[data-summary="same"]')).toHaveCount(0);
      await expect(panel.locator(".replay-row .replay-verdict")).toHaveText(["路径不同", "路径不同"]);
    });

    await test.step("a conversation opened shows both paths, in words and on the draft's graph", async () => {
      const row = conversationRow(page, "对话 1");
      await row.getByRole("button", { name: "显示详情" }).click();
      const details = page.getByRole("region", { name: "对话 1 的详情" });
      await expect(details.getByText("两次回答相同。")).toBeVisible();
      await expect(details.locator('[data-path="recorded"]')).toHaveText("classify → triage_router → billing");
      await expect(details.locator('[data-path="candidate"]')).toHaveText("classify → triage_router → general");
      await expect(pathNode(details, "classify")).toHaveAttribute("data-path-mark", "both");
      await expect(pathNode(details, "billing")).toHaveAttribute("data-path-mark", "recorded");
      await expect(pathNode(details, "general")).toHaveAttribute("data-path-mark", "candidate");
      await expect(pathNode(details, "technical")).toHaveAttribute("data-path-mark", "none");
      await expect(pathNode(details, "general")).toContainText("仅此版本经过");
    });

    await test.step("on a phone the report fits the screen", async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await expect(conversationRow(page, "对话 2").getByRole("button", { name: "显示详情" })).toBeVisible();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(390);
    });
  });
});

test.describe("in English", () => {
  /** Set the demo tenant's `require_replay_check`; returns the settings to put back. */
  async function requireReplayCheck(required: boolean): Promise<() => Promise<void>> {
    const admin = await Api.login(platformUrl(), "admin", "platform");
    const tenants = await admin.call<{ items: { id: string; name: string }[] }>(
      "GET",
      "/api/v1/platform/tenants?limit=200",
    );
    const demo = tenants.items.find((t) => t.name === "demo")!;
    const path = `/api/v1/platform/tenants/${demo.id}`;
    const before = (await admin.call<{ settings: Record<string, unknown> }>("GET", path)).settings;
    await admin.call("PATCH", path, { settings: { ...before, require_replay_check: required } });
    return async () => void (await admin.call("PATCH", path, { settings: before }));
  }

  test("a reviewer must run a replay check before approving, and it finds nothing changed", async ({ page }) => {
    let versionId = "";
    let restore: (() => Promise<void>) | null = null;

    await test.step("a submitted 1.1.0 that only rewords the general desk, in a tenant that requires a check", async () => {
      const agent = await publishedWithConversations("en");
      const developer = await Api.login(platformUrl(), "developer");
      const base = `/api/v1/developer/agents/${agent.id}`;
      const draft = await developer.call<{ id: string }>("POST", `${base}/versions`, {
        version: "1.1.0",
        template_name: "support_triage",
        template_parameters: { company_name: "Replay Company", general_instructions: "Be brief and kind." },
        changelog: "A friendlier general desk.",
      });
      await developer.call("POST", `${base}/versions/${draft.id}/submit`);
      versionId = draft.id;
      restore = await requireReplayCheck(true);
    });

    try {
      await test.step("approving before a check is refused in plain words", async () => {
        await logIn(page, "reviewer");
        await page.goto(`/reviews/submissions/${versionId}`);
        const panel = page.getByRole("region", { name: "Replay check" });
        await expect(panel.getByText("No replay check of this version yet.")).toBeVisible();
        await page.getByRole("button", { name: "Approve", exact: true }).click();
        await expect(
          page.getByRole("alert").filter({ hasText: "This tenant approves a new version only after a replay check" }),
        ).toBeVisible();
      });

      await test.step("the reviewer starts the check: both conversations are the same", async () => {
        const panel = page.getByRole("region", { name: "Replay check" });
        await panel.getByRole("button", { name: "Start replay check" }).click();
        const summary = panel.getByRole("group", { name: "Summary" });
        await expect(summary).toContainText("2 conversations replayed", { timeout: 60_000 });
        await expect(panel.locator(".replay-latest")).toHaveAttribute("data-status", "completed");
        await expect(summary.locator('[data-summary="same"]')).toHaveText("Same 2");
        await expect(panel.locator(".replay-row .replay-verdict")).toHaveText(["Same", "Same"]);
        await conversationRow(page, "Conversation 2").getByRole("button", { name: "Show details" }).click();
        const details = page.getByRole("region", { name: "Details of conversation 2" });
        await expect(details.getByText("The answers are the same.")).toBeVisible();
        await expect(details.getByText("Both runs took the same path.")).toBeVisible();
        await expect(pathNode(details, "billing")).toHaveAttribute("data-path-mark", "both");
        await expect(pathNode(details, "general")).toHaveAttribute("data-path-mark", "none");
      });

      await test.step("now the approval goes through", async () => {
        await page.getByRole("button", { name: "Approve", exact: true }).click();
        await expect(page.getByRole("status").filter({ hasText: "Published" })).toBeVisible();
      });
    } finally {
      if (restore) await (restore as () => Promise<void>)();
    }
  });
});
