/**
 * Journey: "run again from here" on the live graph of a finished run. In Chinese, the Assistant's
 * one node runs again as it was: a second answer (a new branch of the same turn) streams in and
 * the graph shows the new run; the form also fits a phone. In English, a support triage run goes
 * again from its router with the state edited: a state that does not fit the agent's schema is
 * refused beside the editor, a fitting edit routes to the technical branch, and the classifier's
 * recorded output is reused.
 */

import type { Locator, Page } from "@playwright/test";
import {
  echoOf,
  expect,
  graphNode,
  logIn,
  messages,
  searchStore,
  send,
  startChat,
  startChatFromStore,
  storeCard,
  test,
} from "./fixtures";

/** The details panel of a node of the live graph (it repeats `data-node-id`, without a state). */
function nodeDetails(page: Page, id: string): Locator {
  return page.locator(`.node-details[data-node-id="${id}"]`);
}

/** The chat's assistant messages. */
function answers(page: Page): Locator {
  return messages(page).locator("article.message--assistant");
}

test.describe("in Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("run the Assistant again from its node: a second answer and the new run on the graph", async ({ page }) => {
    const said = `再运行一次 ${Date.now()}`;

    await test.step("chat with the Assistant until its answer is in", async () => {
      await logIn(page, "admin", "demo");
      await startChatFromStore(page, "Assistant");
      await send(page, said);
      await expect(answers(page).getByText(echoOf(said))).toHaveCount(1);
    });

    await test.step("the finished run's node offers to run again from here", async () => {
      await graphNode(page, "chat").click();
      const details = nodeDetails(page, "chat");
      await details.getByRole("button", { name: "从此处重新运行" }).click();
      await expect(details.getByRole("checkbox", { name: "运行前编辑此步骤的状态" })).toBeFocused();
      await details.getByRole("button", { name: "重新运行", exact: true }).click();
    });

    await test.step("a second answer appears as a new branch, and the graph shows its run", async () => {
      await expect(answers(page).getByText(echoOf(said))).toHaveCount(2);
      await expect(answers(page)).toHaveCount(2);
      // The new answer's run is the one the graph shows.
      await expect(answers(page).nth(1).getByRole("button", { name: "正在显示" })).toHaveAttribute(
        "aria-pressed",
        "true",
      );
      await expect(answers(page).nth(0).getByRole("button", { name: "查看运行" })).toHaveAttribute(
        "aria-pressed",
        "false",
      );
      await expect(graphNode(page, "chat")).toHaveAttribute("data-state", "completed");
    });

    await test.step("on a phone the form fits the screen", async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      const details = nodeDetails(page, "chat");
      await details.getByRole("button", { name: "从此处重新运行" }).click();
      await details.getByRole("checkbox", { name: "运行前编辑此步骤的状态" }).check();
      await expect(details.getByRole("textbox", { name: "此步骤之前的状态（JSON）" })).toBeVisible();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(390);
    });
  });
});

test("run a support triage again from its router with the state edited", async ({ page, agents }) => {
  const said = `My invoice is wrong ${Date.now()}`;

  await test.step("the triage answers on the billing branch", async () => {
    await logIn(page, "user");
    await searchStore(page, "triage");
    await startChat(page, storeCard(page, agents.triage.name));
    await send(page, said);
    await expect(answers(page).getByText(echoOf(said))).toHaveCount(1);
    await expect(graphNode(page, "billing")).toHaveAttribute("data-state", "completed");
    await expect(graphNode(page, "technical")).toHaveAttribute("data-state", "skipped");
  });

  const details = nodeDetails(page, "triage_router");
  const editor = details.getByRole("textbox", { name: "State before this step (JSON)" });

  await test.step("the router's form: the state before its step can be edited", async () => {
    await graphNode(page, "triage_router").click();
    await details.getByRole("button", { name: "Run again from here" }).click();
    await details.getByRole("checkbox", { name: "Edit the state before this step" }).check();
    await expect(editor).toBeVisible();
  });

  await test.step("text that is not JSON is refused before anything is sent", async () => {
    await editor.fill("{ triage: technical");
    await details.getByRole("button", { name: "Run again", exact: true }).click();
    await expect(details.getByText(/This is not valid JSON/)).toBeVisible();
    await expect(editor).toHaveAttribute("aria-invalid", "true");
  });

  await test.step("a state that does not fit the schema: the server's field error shows beside it", async () => {
    await editor.fill(JSON.stringify({ triage: "technical" }, null, 2));
    await details.getByRole("button", { name: "Run again", exact: true }).click();
    const problem = details.getByRole("alert");
    await expect(problem).toContainText("Could not run again from here");
    // The field named as the server names it (`/body/state/triage`).
    await expect(problem).toContainText(/state[./]triage/);
    await expect(problem).toContainText("expected object");
    await expect(answers(page)).toHaveCount(1);
  });

  await test.step("a fitting edit runs again: the technical branch answers as a second answer", async () => {
    const triage = { category: "technical", reason: "edited in the browser journey" };
    await editor.fill(JSON.stringify({ triage }, null, 2));
    await details.getByRole("button", { name: "Run again", exact: true }).click();
    await expect(answers(page).getByText(echoOf(said))).toHaveCount(2);
    await expect(answers(page).nth(1).getByRole("button", { name: "Run shown" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await expect(graphNode(page, "technical")).toHaveAttribute("data-state", "completed");
    await expect(graphNode(page, "billing")).toHaveAttribute("data-state", "skipped");
  });

  await test.step("the classifier was not run again: its recorded output was reused", async () => {
    await graphNode(page, "classify").click();
    await expect(nodeDetails(page, "classify").getByText(/^Reused from/)).toBeVisible();
  });
});
