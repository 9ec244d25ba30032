/**
 * A quorum: two of three named people must agree. A user chats with an agent whose human node
 * asks three people; reviewer A, in one browser context, opens the task, sees nobody has agreed
 * yet, approves and is told one more approval is needed; B (a plain user the stage names, not a
 * reviewer), in another context, sees A's answer and approves; the task completes and the
 * user's chat goes on to its answer. Once in Chinese (B on a phone) and once in English. And the
 * groups that stages can name: an admin creates, renames and deletes one on a phone, in Chinese.
 */

import type { Browser, Page } from "@playwright/test";
import { Api, PASSWORD, type PublishedAgent } from "./api";
import { echoOf, expect, graphNode, logIn, messages, send, startChatFromStore, test } from "./fixtures";
import { platformUrl } from "./env";

interface Reviewer {
  email: string;
  name: string;
  role: "reviewer" | "user";
}

/** The three reviewers the stage names (created by the admin) and the agent that asks them. */
interface Setup {
  reviewers: [Reviewer, Reviewer, Reviewer];
  agent: PublishedAgent;
}

/** A definition with one human node asking three named people, two of whom must agree, then an answer. */
function quorumDefinition(users: string[]) {
  return {
    name: "quorum_approval",
    description: "Two of three named reviewers approve, then the model answers.",
    state: {
      messages: { type: "array", reducer: "add_messages", description: "The conversation." },
      approval: { type: "object", description: "The approval's outcome." },
    },
    nodes: [
      {
        name: "approve",
        type: "human",
        position: { x: 250, y: 50 },
        config: {
          instruction: "Approve this request: {{ last(messages).content }}",
          output_key: "approval",
          state_keys: ["messages"],
          approval: { stages: [{ name: "Finance", assignees: { users }, quorum: 2 }] },
        },
      },
      { name: "answer", type: "llm", position: { x: 250, y: 150 }, config: {} },
    ],
    edges: [
      { type: "normal", source: "__start__", target: "approve" },
      { type: "normal", source: "approve", target: "answer" },
      { type: "normal", source: "answer", target: "__end__" },
    ],
  };
}

/** Create three reviewers and publish the quorum agent (the developer creates, a reviewer approves). */
async function setUp(label: string): Promise<Setup> {
  const url = platformUrl();
  const stamp = `${Date.now().toString(36)}${label}`;
  const admin = await Api.login(url, "admin");
  // B is not a reviewer: a person named by a stage answers it from their inbox all the same.
  const reviewers = (["A", "B", "C"] as const).map((letter) => ({
    email: `quorum-${stamp}-${letter.toLowerCase()}@demo.agentpaas.dev`,
    name: `Reviewer ${letter} ${stamp}`,
    role: letter === "B" ? "user" : "reviewer",
  })) as Setup["reviewers"];
  for (const reviewer of reviewers) {
    await admin.call("POST", "/api/v1/users", {
      email: reviewer.email,
      display_name: reviewer.name,
      role: reviewer.role,
      password: PASSWORD,
    });
  }
  const developer = await Api.login(url, "developer");
  const approver = await Api.login(url, "reviewer");
  const name = `Quorum ${stamp}`;
  const agent = await developer.call<{ id: string }>("POST", "/api/v1/developer/agents", {
    name,
    description: "Waits for two of three reviewers before it answers.",
    tags: ["quorum"],
  });
  const version = await developer.call<{ id: string }>("POST", `/api/v1/developer/agents/${agent.id}/versions`, {
    version: "1.0.0",
    workflow_definition: quorumDefinition(reviewers.map((reviewer) => reviewer.email)),
    changelog: "Published by the quorum journey.",
  });
  await developer.call("POST", `/api/v1/developer/agents/${agent.id}/versions/${version.id}/submit`);
  await approver.call("POST", `/api/v1/reviews/versions/${version.id}/approve`, { note: "ok" });
  return { reviewers, agent: { id: agent.id, name } };
}

/** Log in through the login page with a created account's e-mail. */
async function logInAs(page: Page, email: string): Promise<void> {
  await page.goto("/");
  await page.getByLabel(/email|邮箱/i).fill(email);
  await page.getByLabel(/password|密码/i).fill(PASSWORD);
  await page.getByRole("button", { name: /sign in|log in|登录/i }).click();
  await expect(page.getByRole("banner")).toBeVisible();
}

/** A reviewer's own browser context (own session), closed afterwards; a failure leaves a screenshot. */
async function asReviewer(
  browser: Browser,
  reviewer: Reviewer,
  options: { locale: string; phone?: boolean },
  act: (page: Page) => Promise<void>,
): Promise<void> {
  const context = await browser.newContext({
    baseURL: platformUrl(),
    locale: options.locale,
    timezoneId: "UTC",
    viewport: options.phone ? { width: 390, height: 844 } : { width: 1440, height: 900 },
    isMobile: options.phone ?? false,
    hasTouch: options.phone ?? false,
  });
  const page = await context.newPage();
  try {
    await logInAs(page, reviewer.email);
    await act(page);
  } catch (error) {
    await page
      .screenshot({ path: test.info().outputPath(`${reviewer.email}-failed.png`), fullPage: true })
      .catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
}

/** Open the inbox (from the header on a desktop), then the task whose instruction holds `token`. */
async function openTaskFromInbox(page: Page, token: string, fromHeader: boolean): Promise<void> {
  if (fromHeader) await page.getByRole("link", { name: /^(inbox|待办)$/i }).click();
  else await page.goto("/reviews");
  await page.getByRole("link", { name: new RegExp(token) }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(token);
}

/** The words of one language. */
interface Words {
  approval: string;
  stage: string;
  quorum: string;
  tally: (agreements: number) => string;
  oneMore: string;
  enough: RegExp;
  yes: string;
  send: RegExp;
  agreed: string;
  recorded: RegExp;
  you: string;
  answers: string;
}

const WORDS: Record<"en" | "zh", Words> = {
  en: {
    approval: "Approval",
    stage: "Stage 1 of 1 · Finance",
    quorum: "2 of 3 must agree",
    tally: (agreements) => `${agreements} of 2 approvals`,
    oneMore: "1 more approval needed",
    enough: /Answer sent|completed/,
    yes: "Yes",
    send: /^Send answer$/,
    agreed: "agreed",
    recorded: /Your answer is recorded/,
    you: "You agreed.",
    answers: "Answers",
  },
  zh: {
    approval: "审批",
    stage: "第 1 / 1 阶段 · Finance",
    quorum: "3 人中需 2 人同意",
    tally: (agreements) => `已同意 ${agreements} / 2`,
    oneMore: "还需 1 人同意",
    enough: /答复已提交|已完成/,
    yes: "是",
    send: /^提交答复$/,
    agreed: "同意",
    recorded: /您的回答已记录/,
    you: "您已同意。",
    answers: "回答",
  },
};

function journey(language: "en" | "zh", locale: string) {
  const words = WORDS[language];
  return async ({ page, browser }: { page: Page; browser: Browser }) => {
    const token = `QUORUM-${language}-${Date.now()}`;
    const said = `Please buy the new laptops (${token})`;
    let setup: Setup;

    await test.step("an admin creates three reviewers; a developer publishes an agent that asks them (API)", async () => {
      setup = await setUp(language);
    });

    await test.step("a user asks the agent; the graph waits at the approval", async () => {
      await logIn(page, "user");
      await startChatFromStore(page, setup.agent.name);
      await send(page, said);
      await expect(messages(page).getByText(said, { exact: true })).toBeVisible();
      await expect(graphNode(page, "approve")).toHaveAttribute("data-state", "waiting");
    });

    await test.step("reviewer A sees nobody has agreed, approves, and is told one more is needed", async () => {
      await asReviewer(browser, setup.reviewers[0], { locale }, async (inbox) => {
        await openTaskFromInbox(inbox, token, true);
        const approval = inbox.getByRole("region", { name: words.approval });
        await expect(approval).toContainText(words.stage);
        await expect(approval).toContainText(words.quorum);
        await expect(inbox.getByTestId("approval-tally")).toHaveText(words.tally(0));
        await inbox.getByRole("main").getByRole("radio", { name: words.yes }).first().check();
        await inbox.getByRole("button", { name: words.send }).click();
        await expect(inbox.getByRole("status").filter({ hasText: words.recorded })).toBeVisible();
        await expect(inbox.getByTestId("approval-tally")).toHaveText(words.tally(1));
        await expect(approval.getByRole("status")).toHaveText(words.oneMore);
        await expect(approval).toContainText(words.you);
        // Answered: no second answer is offered.
        await expect(inbox.getByRole("button", { name: words.send })).toHaveCount(0);
      });
    });

    await test.step("B (a user, not a reviewer), on a phone in Chinese or a desktop in English, sees A's answer and approves", async () => {
      const phone = language === "zh";
      await asReviewer(browser, setup.reviewers[1], { locale, phone }, async (inbox) => {
        await openTaskFromInbox(inbox, token, !phone);
        // Not a reviewer: no store submissions, only the approvals that ask B.
        await expect(inbox.getByRole("link", { name: /^(submissions|上架申请)$/i })).toHaveCount(0);
        const approval = inbox.getByRole("region", { name: words.approval });
        await expect(inbox.getByTestId("approval-tally")).toHaveText(words.tally(1));
        // The server names the person by their display name (or e-mail when they have none).
        const { name, email } = setup.reviewers[0];
        const answerOfA = approval
          .getByRole("list", { name: words.answers })
          .getByRole("listitem")
          .filter({ hasText: new RegExp(`${name}|${email}`) });
        await expect(answerOfA).toContainText(words.agreed);
        if (phone) {
          const overflow = await inbox.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow, "the task page fits 390 px").toBeLessThanOrEqual(0);
        }
        await inbox.getByRole("main").getByRole("radio", { name: words.yes }).first().check();
        await inbox.getByRole("button", { name: words.send }).click();
        await expect(inbox.getByRole("main")).toContainText(words.enough);
      });
    });

    await test.step("the user's run goes on to its answer without a reload", async () => {
      await expect(graphNode(page, "approve")).toHaveAttribute("data-state", "completed");
      await expect(graphNode(page, "answer")).toHaveAttribute("data-state", "completed");
      await expect(messages(page).getByText(echoOf(said))).toBeVisible();
    });
  };
}

test.describe("in Chinese", () => {
  test.use({ locale: "zh-CN" });
  test("two of three named people approve a task in two browser contexts", journey("zh", "zh-CN"));
});

test.describe("in English", () => {
  test("two of three named people approve a task in two browser contexts", journey("en", "en-US"));
});

test.describe("groups, on a phone in Chinese", () => {
  test.use({ locale: "zh-CN", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("an admin creates, renames and deletes a group that approval stages can name", async ({ page }) => {
    const name = `finance-${Date.now().toString(36)}`;
    await logIn(page, "admin", "demo");
    await page.goto("/admin/groups");
    const main = page.getByRole("main");
    await expect(main.getByRole("heading", { level: 2, name: "用户组" })).toBeVisible();

    await test.step("a new group with one member", async () => {
      await main.getByRole("button", { name: "新建用户组" }).click();
      const form = main.getByRole("form", { name: "新建用户组" });
      await form.getByLabel("名称").fill(name);
      await form.getByRole("searchbox", { name: "搜索人员" }).fill("reviewer@demo");
      await form.getByRole("button", { name: /^选择 .*reviewer@demo\.agentpaas\.dev/ }).click();
      await form.getByRole("button", { name: "创建用户组" }).click();
      const card = main.getByRole("listitem").filter({ has: page.getByRole("heading", { name, exact: true }) });
      await expect(card).toContainText("1 名成员");
      // The member by their name (the seeded reviewer's is "Demo Reviewer"), else their e-mail.
      await expect(card).toContainText(/Reviewer|reviewer@demo\.agentpaas\.dev/);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, "the Groups tab fits 390 px").toBeLessThanOrEqual(0);
    });

    await test.step("renamed, then deleted after a confirmation", async () => {
      await main.getByRole("button", { name: `编辑用户组 ${name}` }).click();
      const form = main.getByRole("form", { name: `编辑 ${name}` });
      await form.getByLabel("名称").fill(`${name}-eu`);
      await form.getByRole("button", { name: "保存" }).click();
      await expect(main.getByRole("heading", { name: `${name}-eu`, exact: true })).toBeVisible();
      await main.getByRole("button", { name: `删除用户组 ${name}-eu` }).click();
      await page.getByRole("dialog").getByRole("button", { name: "删除用户组" }).click();
      await expect(main.getByRole("heading", { name: `${name}-eu`, exact: true })).toHaveCount(0);
    });
  });
});
