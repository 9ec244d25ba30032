/**
 * Journey: a developer (in Chinese) builds an agent from an empty canvas in the builder — an llm
 * node, a router with a conditional edge to a human node and to the end — sees the validation
 * problems on the edge and nodes until the condition and its branches are complete, declares the
 * state keys the checks ask for, and saves version 1.0.0 of a new agent. The saved version opens
 * again with the same graph, and the sandbox beside the canvas runs it: the answer streams into
 * the sandbox chat while the run's states light up the builder's own nodes. Once submitted it
 * opens read-only, and "new version from this one" saves an edited copy as 1.1.0 (the sandbox
 * first asks about its unsaved changes). The builder also speaks English. A reviewer approves
 * 1.0.0 under Reviews → Submissions after reading its changes and trying it in a sandbox chat of
 * their own, and a user finds the agent in the store and chats with it.
 */

import type { Locator, Page } from "@playwright/test";
import { asAnotherPerson, echoOf, expect, logIn, messages, send, startChatFromStore, test } from "./fixtures";

test.use({ locale: "zh-CN" });

/** A node of the builder's canvas, by name (`__start__` / `__end__` for the terminals). */
const node = (page: Page, name: string): Locator => page.locator(`.react-flow__node[data-id="${name}"]`);
/** The labels of the conditional edge's branches, as drawn on the canvas. */
const branchLabels = (page: Page): Locator => page.locator('[data-edge-label][data-edge-kind="conditional"]');
/** A canvas node's state in the sandbox's run (no such element while the sandbox is closed). */
const runState = (page: Page, name: string): Locator => node(page, name).locator("[data-run-state]");

test("a developer builds an agent in the builder, runs it in the sandbox, and it reaches the store", async ({
  page,
  browser,
}) => {
  // Building, the sandbox, review and the store: one long journey.
  test.setTimeout(180_000);
  const name = `Builder E2E ${Date.now()}`;
  const said = `沙箱试运行 ${Date.now()}`;
  const palette = page.getByRole("navigation", { name: "节点类型" });
  const side = page.getByRole("complementary", { name: "选中的元素" });
  const problems = page.getByRole("region", { name: /个问题$/ });
  const save = page.getByRole("toolbar", { name: "编排工具" }).getByRole("button", { name: "保存版本" });

  /** Select a node on the canvas and connect it to `target` from its panel. */
  const connect = async (source: string, target: string) => {
    await node(page, source).click();
    await side.getByLabel("连接到").selectOption({ label: target });
    await side.getByRole("button", { name: "连接", exact: true }).click();
  };

  await test.step("the developer opens an empty canvas for a new agent", async () => {
    await logIn(page, "developer");
    await page.goto("/studio");
    await page.getByRole("link", { name: "新建智能体" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "新建智能体" })).toBeVisible();
    await expect(palette.getByRole("heading", { name: "控制" })).toBeVisible();
    await expect(node(page, "__start__")).toContainText("开始");
    await expect(node(page, "__end__")).toContainText("结束");
  });

  await test.step("adds an llm, a router and a human node from the palette", async () => {
    await palette.getByRole("button", { name: "添加大模型节点" }).click();
    await expect(node(page, "llm_1")).toBeVisible();
    await expect(side.getByRole("heading", { name: "节点 llm_1" })).toBeVisible();
    await side.getByRole("button", { name: /最先运行此节点/ }).click();
    await palette.getByRole("button", { name: "添加路由节点" }).click();
    await expect(node(page, "router_1")).toBeVisible();
    // The human node is dragged from the palette onto the canvas.
    await palette
      .locator('[data-node-type="human"]')
      .dragTo(page.locator(".builder-canvas"), { targetPosition: { x: 120, y: 120 } });
    await expect(node(page, "human_1")).toBeVisible();
    // Nothing leads to the router yet: the check says so on the node, and saving waits.
    await expect(node(page, "router_1")).toContainText("个问题");
    // The server's problem, said in Chinese from its code and params.
    await expect(problems.getByText("从开始无法到达节点“router_1”。")).toBeVisible();
    await expect(save).toHaveAttribute("aria-disabled", "true");
  });

  await test.step("connects llm → router → human → end", async () => {
    // One connection drawn by dragging between handles, the others from the node's panel.
    await node(page, "llm_1")
      .locator(".react-flow__handle.source")
      .dragTo(node(page, "router_1").locator(".react-flow__handle.target"));
    await expect(page.locator('.react-flow__edge[data-id="1:llm_1->router_1"]')).toHaveCount(1);
    await connect("router_1", "human_1");
    await connect("human_1", "结束");
    await expect(node(page, "router_1")).not.toContainText("个问题");
  });

  await test.step("makes the router's edge conditional: a problem on it until its branches are complete", async () => {
    await node(page, "router_1").click();
    await side.getByRole("button", { name: "普通 → human_1" }).click();
    const edgePanel = side.getByRole("region", { name: "从 router_1 出发的边" });
    await edgePanel.getByRole("radio", { name: /条件边/ }).check();
    // An empty condition: the server's problem lands on the edge, in the panel and in the list.
    await expect(branchLabels(page).first()).toContainText("个问题");
    await expect(edgePanel.locator(".field-error").first()).toBeVisible();
    await expect(problems.getByRole("button", { name: /边 router_1 → human_1/ })).toBeVisible();
    await expect(save).toHaveAttribute("aria-disabled", "true");
    await expect(page.getByText("请先解决")).toBeVisible();

    await edgePanel.getByRole("textbox", { name: "条件" }).fill("route");
    await edgePanel.getByText("如何编写表达式").click();
    await expect(edgePanel.getByText("len(x)")).toBeVisible();
    const outcome = edgePanel.getByRole("textbox", { name: "第 1 个结果" });
    await outcome.fill("review");
    await outcome.press("Enter");
    await edgePanel.getByLabel("默认目标").selectOption({ label: "结束" });
    await expect(branchLabels(page)).toHaveCount(2);
    await expect(branchLabels(page).filter({ hasText: "review" })).toContainText("条件");
    await expect(branchLabels(page).filter({ hasText: "默认" })).toBeVisible();
  });

  await test.step("declares the state keys the check asks for; no problems remain", async () => {
    // `route` (read by the condition) and `human_input` (written by the human node) are not declared yet.
    await problems.getByRole("button", { name: "声明 route" }).click();
    await problems.getByRole("button", { name: "声明 human_input" }).click();
    await expect(problems.getByText("流程图没有问题。")).toBeVisible();
    await expect(branchLabels(page).first()).not.toContainText("个问题");
    await expect(save).not.toHaveAttribute("aria-disabled", "true");
  });

  await test.step("saves version 1.0.0 of the new agent; it opens again with the same graph", async () => {
    await save.click();
    const dialog = page.getByRole("dialog", { name: "保存新智能体" });
    await dialog.getByLabel("智能体名称").fill(name);
    await expect(dialog.getByLabel("版本号")).toHaveValue("1.0.0");
    await dialog.getByLabel("更新说明").fill("首个版本：审核后再回答。");
    await dialog.getByRole("button", { name: "保存版本" }).click();
    await expect(page.getByText("1.0.0 版本已保存为草稿。")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page).toHaveURL(/\/studio\/agents\/[^/]+\/builder\?from=/);
    for (const saved of ["llm_1", "router_1", "human_1"]) await expect(node(page, saved)).toBeVisible();
    await expect(branchLabels(page)).toHaveCount(2);
  });

  await test.step("runs 1.0.0 in the sandbox: the answer streams in, the canvas shows the run", async () => {
    const toggle = page.getByRole("toolbar", { name: "编排工具" }).getByRole("button", { name: "试运行" });
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    const sandbox = page.getByRole("complementary", { name: "试运行" });
    await expect(sandbox).toContainText("版本 1.0.0");
    // Before anything is sent, the canvas is in the run's colours: nothing has run yet.
    await expect(runState(page, "llm_1")).toHaveAttribute("data-run-state", "idle");
    const log = sandbox.getByRole("log", { name: "试运行对话" });
    // The sandbox chat is open once its empty conversation invites a message.
    await expect(log).toContainText("给 1.0.0 版本发一条消息");
    const box = sandbox.getByRole("textbox", { name: "发给试运行的消息" });
    await box.fill(said);
    await box.press("Enter");
    await expect(log.getByText(said, { exact: true })).toBeVisible();
    // The offline model echoes the message; the router set no route, so the default branch ends the run.
    await expect(log.getByText(echoOf(said))).toBeVisible();
    await expect(runState(page, "llm_1")).toHaveAttribute("data-run-state", "completed");
    await expect(node(page, "llm_1")).toContainText("已完成");
    await expect(runState(page, "router_1")).toHaveAttribute("data-run-state", "completed");
    await expect(runState(page, "human_1")).toHaveAttribute("data-run-state", "skipped");
    await expect(node(page, "__end__").locator("[data-run-state]")).toHaveAttribute("data-run-state", "completed");
    await expect(sandbox.getByText("运行已完成")).toBeVisible();
    // Closed: the canvas is back in its editing colours.
    await sandbox.getByRole("button", { name: "关闭" }).click();
    await expect(sandbox).toHaveCount(0);
    await expect(runState(page, "llm_1")).toHaveCount(0);
    await expect(page.getByRole("complementary", { name: "选中的元素" })).toBeVisible();
  });

  await test.step("the agent page lists 1.0.0 as a draft with its changelog", async () => {
    await page.getByRole("link", { name: "到智能体页面提交审核" }).click();
    const version = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "版本 1.0.0" }) });
    await expect(version).toContainText("草稿");
    await expect(version).toContainText("首个版本：审核后再回答。");
  });

  await test.step("once submitted, 1.0.0 opens read-only; a copy of it is saved as 1.1.0", async () => {
    const version = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "版本 1.0.0" }) });
    await version.getByRole("button", { name: "提交审核" }).click();
    await expect(version).toContainText("待审核");
    await version.getByRole("link", { name: "在编排器中查看" }).click();
    await expect(page.getByText("1.0.0 版本已不可更改，以只读方式打开。")).toBeVisible();
    await expect(palette).toHaveCount(0);
    await expect(save).toHaveCount(0);
    await page.getByRole("link", { name: "基于此版本新建" }).click();
    await expect(page.getByText("这是 1.0.0 版本的可编辑副本")).toBeVisible();
    await node(page, "human_1").click();
    await page.keyboard.press("Control+c");
    await page.keyboard.press("Control+v");
    await expect(node(page, "human_2")).toBeVisible();
    await page.keyboard.press("Delete");
    await expect(node(page, "human_2")).toHaveCount(0);
    await page.getByRole("button", { name: "撤销" }).click();
    await expect(node(page, "human_2")).toBeVisible();
    await connect("human_2", "结束");
    await connect("human_1", "human_2");
    await expect(save).not.toHaveAttribute("aria-disabled", "true");
    // The sandbox runs saved versions only: with these changes unsaved it asks what to run.
    await page.getByRole("toolbar", { name: "编排工具" }).getByRole("button", { name: "试运行" }).click();
    const sandbox = page.getByRole("complementary", { name: "试运行" });
    await expect(sandbox).toContainText("画布有未保存的更改");
    await expect(sandbox.getByRole("button", { name: "先保存草稿" })).toBeVisible();
    await expect(sandbox.getByRole("button", { name: "运行 1.0.0 版本" })).toBeVisible();
    // Saving the draft from the sandbox opens the sandbox again on the version just saved.
    await sandbox.getByRole("button", { name: "先保存草稿" }).click();
    const dialog = page.getByRole("dialog", { name: "保存新版本" });
    await expect(dialog.getByLabel("版本号")).toHaveValue("1.1.0");
    await dialog.getByRole("button", { name: "保存版本" }).click();
    await expect(page.getByText("1.1.0 版本已保存为草稿。")).toBeVisible();
    await expect(node(page, "human_2")).toBeVisible();
    await expect(sandbox).toContainText("版本 1.1.0");
    await expect(sandbox.getByRole("log", { name: "试运行对话" })).toContainText("给 1.1.0 版本发一条消息");
    await expect(runState(page, "human_2")).toHaveAttribute("data-run-state", "idle");
    // Escape closes it (the keyboard is in the panel once it opens).
    await sandbox.getByRole("textbox", { name: "发给试运行的消息" }).press("Escape");
    await expect(sandbox).toHaveCount(0);
    await expect(runState(page, "human_2")).toHaveCount(0);
  });

  await test.step("the builder speaks English too", async () => {
    await page.getByRole("combobox", { name: /Language|语言/ }).selectOption("en");
    await expect(page.getByRole("navigation", { name: "Node types" })).toBeVisible();
    await expect(
      page.getByRole("toolbar", { name: "Builder tools" }).getByRole("button", { name: "Save version" }),
    ).toBeVisible();
    await expect(branchLabels(page).filter({ hasText: "default" })).toContainText("condition");
    await page.getByRole("combobox", { name: /Language|语言/ }).selectOption("zh-CN");
  });

  await test.step("a reviewer tries 1.0.0 in a sandbox and approves it from Reviews → Submissions", async () => {
    await asAnotherPerson(browser, "reviewer", async (review) => {
      await logIn(review, "reviewer");
      await review.getByRole("link", { name: /^(inbox|待办)$/i }).click();
      await review.getByRole("navigation", { name: "Reviews" }).getByRole("link", { name: "Submissions" }).click();
      await review.getByRole("link", { name: `${name} v1.0.0` }).click();
      await expect(review.getByRole("main")).toContainText("首个版本：审核后再回答。");
      // Before deciding, the reviewer reads what the version changes: nothing is published
      // yet, so every node of the graph is new.
      const changes = review.getByRole("region", { name: "Changes against the published version" });
      await expect(changes).toContainText(`Nothing of this agent is published yet: all of version 1.0.0 is new.`);
      await expect(changes.getByText("router_1").first()).toBeVisible();
      // And tries it in a sandbox chat of their own: the offline model answers.
      const tried = `Reviewer sandbox ${Date.now()}`;
      const tryIt = review.getByRole("button", { name: "Try in sandbox" });
      await tryIt.click();
      const sandbox = review.getByRole("complementary", { name: "Sandbox" });
      await expect(sandbox).toContainText("Version 1.0.0");
      const log = sandbox.getByRole("log", { name: "Sandbox conversation" });
      await expect(log).toContainText("Send a message to version 1.0.0");
      const box = sandbox.getByRole("textbox", { name: "Message to the sandbox" });
      await box.fill(tried);
      await box.press("Enter");
      await expect(log.getByText(tried, { exact: true })).toBeVisible();
      await expect(log.getByText(echoOf(tried))).toBeVisible();
      await expect(sandbox.getByText("Run completed")).toBeVisible();
      await sandbox.getByRole("button", { name: "Close" }).click();
      await expect(sandbox).toHaveCount(0);
      await expect(tryIt).toBeFocused();
      await review.getByRole("button", { name: "Approve", exact: true }).click();
      // A page that asks to confirm does so with a second "Approve" in its dialog.
      const confirm = review.getByRole("dialog").getByRole("button", { name: "Approve", exact: true });
      if (await confirm.isVisible()) await confirm.click();
      await expect(review.getByText("Published: this version is now the agent's version in the store.")).toBeVisible();
    });
  });

  await test.step("a user finds the agent in the store and chats with it", async () => {
    const question = `Hello from the store ${Date.now()}`;
    await asAnotherPerson(browser, "user", async (user) => {
      await logIn(user, "user");
      await startChatFromStore(user, name);
      await send(user, question);
      await expect(messages(user).getByText(question, { exact: true })).toBeVisible();
      await expect(messages(user).getByText(echoOf(question))).toBeVisible();
    });
  });
});
