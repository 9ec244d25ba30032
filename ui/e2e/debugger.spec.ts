/**
 * Journey: a breakpoint is hit, the state is edited, the run continues. A developer opens the
 * builder on a draft of their agent (one llm node, `chat`), ticks "pause before chat" in the
 * sandbox and sends a message: the run pauses before `chat`, the canvas marks `chat` as paused
 * and the debugger shows the whole state. A state that does not fit the agent's state schema is
 * refused by key; the user's message edited in the state is accepted; Continue lets `chat` run,
 * and the offline model's answer echoes the edited message, not the one sent. Once in Chinese,
 * once in English; in English also in the chat view: a run of the draft paused at the same
 * breakpoint shows on the chat's live graph and in its debugger, and Continue brings its answer.
 */

import type { Locator, Page } from "@playwright/test";
import { Api } from "./api";
import { echoOf, expect, graphNode, logIn, messages, test } from "./fixtures";

/** A draft version of a new agent built from the plain-chat template (one llm node, `chat`). */
async function draftAgent(baseUrl: string, name: string): Promise<{ agentId: string; versionId: string }> {
  const developer = await Api.login(baseUrl, "developer");
  const agent = await developer.call<{ id: string }>("POST", "/api/v1/developer/agents", {
    name,
    description: "A draft the debugger journey pauses.",
    tags: ["e2e"],
  });
  const version = await developer.call<{ id: string }>("POST", `/api/v1/developer/agents/${agent.id}/versions`, {
    version: "1.0.0",
    template_name: "plain_chat",
    template_parameters: {},
    changelog: "Draft for the debugger journey.",
  });
  return { agentId: agent.id, versionId: version.id };
}

/** A node's state in the sandbox's run, on the builder's canvas. */
const runState = (page: Page, name: string): Locator =>
  page.locator(`.react-flow__node[data-id="${name}"]`).locator("[data-run-state]");

/** The texts a person reads, per language. */
interface Texts {
  tools: string;
  sandbox: string;
  log: string;
  composer: string;
  breakpoints: string;
  pauseBefore: string;
  debugger: string;
  pausedAt: string;
  before: string;
  state: string;
  edit: string;
  editor: string;
  apply: string;
  applied: string;
  continue: string;
  completed: string;
}

const ZH: Texts = {
  tools: "编排工具",
  sandbox: "试运行",
  log: "试运行对话",
  composer: "发给试运行的消息",
  breakpoints: "断点",
  pauseBefore: "在 chat 之前暂停",
  debugger: "调试器",
  pausedAt: "停在断点，第 0 步",
  before: "之前：chat",
  state: "运行状态（JSON）",
  edit: "编辑状态",
  editor: "运行状态（JSON，可编辑）",
  apply: "应用修改",
  applied: "状态已更新",
  continue: "继续",
  completed: "运行已完成",
};

const EN: Texts = {
  tools: "Builder tools",
  sandbox: "Sandbox",
  log: "Sandbox conversation",
  composer: "Message to the sandbox",
  breakpoints: "Breakpoints",
  pauseBefore: "Pause before chat",
  debugger: "Debugger",
  pausedAt: "Paused at a breakpoint, step 0",
  before: "Before: chat",
  state: "The run's state (JSON)",
  edit: "Edit state",
  editor: "The run's state (JSON, editable)",
  apply: "Apply edit",
  applied: "State updated",
  continue: "Continue",
  completed: "Run completed",
};

type Message = { role?: string; type?: string; content?: unknown };

/** The state with the last user message's words replaced. */
function withLastUserMessage(state: { messages: Message[] }, words: string): { messages: Message[] } {
  const messages = state.messages.map((m) => ({ ...m }));
  const last = [...messages].reverse().find((m) => m.role === "user" || m.type === "human");
  if (!last) throw new Error(`no user message in ${JSON.stringify(state)}`);
  last.content = words;
  return { ...state, messages };
}

async function journey(
  page: Page,
  baseURL: string,
  texts: Texts,
  tag: string,
): Promise<{ agentId: string; versionId: string }> {
  test.setTimeout(120_000);
  const said = `${tag} breakpoint ${Date.now()}`;
  const edited = `${tag} edited ${Date.now()}`;
  const { agentId, versionId } = await draftAgent(baseURL, `Debugger E2E ${tag} ${Date.now()}`);
  const sandbox = page.getByRole("complementary", { name: texts.sandbox });
  const debug = sandbox.getByRole("region", { name: texts.debugger, exact: true });

  await test.step("the developer opens the draft in the builder and its sandbox", async () => {
    await logIn(page, "developer");
    await page.goto(`/studio/agents/${agentId}/builder?from=${versionId}`);
    await page.getByRole("toolbar", { name: texts.tools }).getByRole("button", { name: texts.sandbox }).click();
    await expect(sandbox.getByRole("log", { name: texts.log })).toBeVisible();
  });

  await test.step("sets a breakpoint before chat and sends a message", async () => {
    await sandbox.getByText(texts.breakpoints, { exact: true }).click();
    await sandbox.getByRole("checkbox", { name: texts.pauseBefore }).check();
    const box = sandbox.getByRole("textbox", { name: texts.composer });
    await box.fill(said);
    await box.press("Enter");
  });

  await test.step("the run pauses before chat: the canvas marks it, the debugger shows the state", async () => {
    await expect(debug).toContainText(texts.pausedAt);
    await expect(debug).toContainText(texts.before);
    await expect(runState(page, "chat")).toHaveAttribute("data-run-state", "paused");
    await expect(debug.getByLabel(texts.state)).toContainText(said);
  });

  await test.step("a state that does not fit is refused by key; the edited message is accepted", async () => {
    await debug.getByRole("button", { name: texts.edit }).click();
    const editor = debug.getByRole("textbox", { name: texts.editor });
    const state = JSON.parse(await editor.inputValue()) as { messages: Message[] };
    await editor.fill(JSON.stringify({ ...state, messages: "not a list" }));
    await debug.getByRole("button", { name: texts.apply }).click();
    await expect(debug.locator('[data-state-key="messages"]')).toBeVisible();
    await editor.fill(JSON.stringify(withLastUserMessage(state, edited), null, 2));
    await debug.getByRole("button", { name: texts.apply }).click();
    await expect(debug).toContainText(texts.applied);
    await expect(debug.getByLabel(texts.state)).toContainText(edited);
  });

  await test.step("continue: chat runs on the edited state and answers", async () => {
    await debug.getByRole("button", { name: texts.continue, exact: true }).click();
    const log = sandbox.getByRole("log", { name: texts.log });
    await expect(log.getByText(echoOf(edited))).toBeVisible();
    await expect(log.getByText(echoOf(said))).toHaveCount(0);
    await expect(debug).toHaveCount(0);
    await expect(runState(page, "chat")).toHaveAttribute("data-run-state", "completed");
    await expect(sandbox.getByText(texts.completed)).toBeVisible();
  });
  return { agentId, versionId };
}

/**
 * A run of the draft started through the API in a new sandbox chat of the developer's, paused
 * before `chat`; the stream is left at once (the run waits durably). Returns the chat's id.
 */
async function pausedChatRun(baseUrl: string, agentId: string, versionId: string, said: string): Promise<string> {
  const developer = await Api.login(baseUrl, "developer");
  const chat = await developer.call<{ id: string }>(
    "POST",
    `/api/v1/developer/agents/${agentId}/versions/${versionId}/sandbox`,
  );
  const stop = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: developer.authorization, "content-type": "application/json" },
    body: JSON.stringify({ chat_id: chat.id, message: said, breakpoints: { before: ["chat"], after: [] } }),
    signal: stop.signal,
  });
  if (!response.ok) throw new Error(`paused run: ${response.status} ${await response.text()}`);
  stop.abort();
  return chat.id;
}

test.describe("in Chinese", () => {
  test.use({ locale: "zh-CN" });
  test("a breakpoint is hit, the state is edited, the run continues", async ({ page, baseURL }) => {
    await journey(page, baseURL!, ZH, "zh");
  });
});

test.describe("in English", () => {
  test("a breakpoint is hit, the state is edited, the run continues", async ({ page, baseURL }) => {
    const { agentId, versionId } = await journey(page, baseURL!, EN, "en");

    await test.step("in the chat too: its graph shows the paused run, its debugger continues it", async () => {
      const said = `en chat breakpoint ${Date.now()}`;
      const chatId = await pausedChatRun(baseURL!, agentId, versionId, said);
      await page.goto(`/chat/${chatId}`);
      const debug = page.getByRole("region", { name: EN.debugger, exact: true });
      await expect(debug).toContainText(EN.before);
      await expect(graphNode(page, "chat")).toHaveAttribute("data-state", "paused");
      await expect(debug.getByLabel(EN.state)).toContainText(said);
      await debug.getByRole("button", { name: EN.continue, exact: true }).click();
      await expect(messages(page).getByText(echoOf(said))).toBeVisible();
      await expect(debug).toHaveCount(0);
      await expect(graphNode(page, "chat")).toHaveAttribute("data-state", "completed");
    });
  });
});
