/**
 * The tool store: an admin, in Chinese, finds the AgentPaaS tools of "another deployment" (the
 * platform's own /mcp/tools/, reached on its loopback port) by a tag, installs them with a host
 * and a write-only API key, and sees them discovered with their tools. An agent whose tool node is
 * pinned to the installed server answers with the calculator's result in a chat. Then, in English
 * on a phone, the admin uninstalls it: the store names the published agent using its tools first,
 * and uninstalls once told to anyway.
 */

import { Api } from "./api";
import { asAnotherPerson, expect, logIn, messages, send, startChatFromStore, test } from "./fixtures";

test.use({ locale: "zh-CN" });

const ENTRY = "agentpaas-remote-tools";

/** An agent whose one tool call goes to the installed server, and whose answer quotes the result. */
function calculatorAgent(): Record<string, unknown> {
  return {
    state: { messages: { reducer: "add_messages" }, calc: {}, answer: {} },
    nodes: [
      {
        name: "calculate",
        type: "tool",
        config: {
          mode: "direct",
          server: ENTRY,
          tool: "calculator",
          arguments: { expression: "'6 * 7'" },
          output_key: "calc",
        },
      },
      {
        name: "reply",
        type: "transform",
        config: { render: { answer: "The installed calculator says {{ calc.expression }} = {{ calc.result }}" } },
      },
    ],
    edges: [
      { source: "__start__", target: "calculate" },
      { source: "calculate", target: "reply" },
      { source: "reply", target: "__end__" },
    ],
    output: "answer",
  };
}

test("an admin installs tools from the store, an agent uses them, and they are uninstalled", async ({
  page,
  browser,
  baseURL,
}) => {
  const host = new URL(baseURL!).host; // 127.0.0.1:<port>: the one loopback address allow-listed
  const admin = await Api.login(baseURL!, "admin");
  const { key } = await admin.call<{ key: string }>("POST", "/api/v1/api-keys", {
    name: "tool store journey",
    scopes: ["tools:call"],
  });
  const agentName = `Store calculator ${Date.now().toString(36)}`;

  await test.step("in Chinese, the admin finds the entry by its tag and installs it", async () => {
    await logIn(page, "admin", "demo");
    await page.getByRole("link", { name: "工具商店" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "工具商店" })).toBeVisible();
    // The bundled tools are registered for the demo tenant by `agentpaas dev`: installed already.
    await expect(page.getByTestId("store-entry-agentpaas-tools")).toContainText("已安装");
    await page.getByRole("group", { name: "标签" }).getByRole("button", { name: "agentpaas" }).click();
    const card = page.getByTestId(`store-entry-${ENTRY}`);
    await expect(card).toContainText("AgentPaaS 内置工具（其他部署）");
    await expect(card).toContainText("未安装");
    await card.getByRole("button", { name: "安装" }).click();
    const dialog = page.getByRole("dialog", { name: /安装 AgentPaaS 内置工具/ });
    const secret = dialog.getByLabel(/API 密钥/);
    await expect(secret).toHaveAttribute("type", "password");
    await dialog.getByLabel(/主机/).fill(`${host}/evil`);
    await secret.fill(key);
    await dialog.getByRole("button", { name: "安装" }).click();
    await expect(dialog).toContainText("不能包含");
    await dialog.getByLabel(/主机/).fill(host);
    await dialog.getByRole("button", { name: "安装" }).click();
    await expect(dialog).toHaveCount(0, { timeout: 60_000 });
    await expect(card).toContainText("已安装");
    await expect(card).toContainText("已发现");
    await expect(card.getByRole("list", { name: /的工具$/ })).toContainText("calculator");
    await expect(card).toContainText("已授权给：管理员, 开发者");
    await expect(page.getByRole("main")).not.toContainText(key);
  });

  await test.step("an agent pinned to the installed server answers with the calculator's result", async () => {
    const developer = await Api.login(baseURL!, "developer");
    const reviewer = await Api.login(baseURL!, "reviewer");
    const agent = await developer.call<{ id: string }>("POST", "/api/v1/developer/agents", {
      name: agentName,
      description: "Asks the calculator installed from the tool store.",
      tags: ["tool-store"],
    });
    const version = await developer.call<{ id: string }>("POST", `/api/v1/developer/agents/${agent.id}/versions`, {
      version: "1.0.0",
      workflow_definition: calculatorAgent(),
      tool_dependencies: [`${ENTRY}/calculator`],
    });
    await developer.call("POST", `/api/v1/developer/agents/${agent.id}/versions/${version.id}/submit`);
    await reviewer.call("POST", `/api/v1/reviews/versions/${version.id}/approve`, { note: "ok" });
    await startChatFromStore(page, agentName);
    await send(page, "6 × 7?");
    await expect(messages(page).getByText("The installed calculator says 6 * 7 = 42")).toBeVisible({
      timeout: 60_000,
    });
  });

  await test.step("in English on a phone, uninstalling names the agent using it, then goes on when told", async () => {
    await asAnotherPerson(
      browser,
      "admin-en",
      async (phone) => {
        await phone.setViewportSize({ width: 390, height: 844 });
        await logIn(phone, "admin", "demo");
        await phone.goto("/tools/store");
        await expect(phone.getByRole("heading", { level: 1, name: "Tool store" })).toBeVisible();
        await phone.getByRole("searchbox").fill("another deployment");
        const card = phone.getByTestId(`store-entry-${ENTRY}`);
        await expect(card).toContainText("Installed");
        await expect(card).toContainText("Discovered");
        const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await card.getByRole("button", { name: "Uninstall" }).click();
        const dialog = phone.getByRole("dialog", { name: /Uninstall AgentPaaS tools/ });
        await dialog.getByRole("button", { name: "Uninstall", exact: true }).click();
        await expect(dialog.getByRole("alert")).toContainText(`${agentName} 1.0.0 uses calculator`);
        await dialog.getByRole("button", { name: "Uninstall anyway" }).click();
        await expect(dialog).toHaveCount(0);
        await expect(card).toContainText("Not installed");
      },
      { locale: "en-US" },
    );
    const tools = await admin.call<{ items: { topic_server_id: string }[] }>("GET", "/api/v1/tool-servers?limit=200");
    expect(JSON.stringify(tools)).not.toContain(ENTRY);
  });
});
