/**
 * Journey 2: a run waits for a person. One person chats with an approval agent and sees its graph
 * stop at the approval node; a reviewer, in a second browser context, answers the task in the
 * inbox; the first person's graph completes without a reload.
 */

import {
  asAnotherPerson,
  expect,
  graphEdge,
  graphNode,
  logIn,
  messages,
  send,
  startChatFromStore,
  test,
} from "./fixtures";

test("an approval waits, a reviewer approves in the inbox, the chat's graph completes live", async ({
  page,
  browser,
  agents,
}) => {
  const token = `E2E-${Date.now()}`;
  const said = `Please tell me the current time (${token})`;

  await test.step("a user asks the approval agent; the graph waits at the approval node", async () => {
    await logIn(page, "user");
    await startChatFromStore(page, agents.approval.name);
    await send(page, said);
    await expect(messages(page).getByText(said, { exact: true })).toBeVisible();
    await expect(graphNode(page, "propose")).toHaveAttribute("data-state", "completed");
    await expect(graphNode(page, "approve")).toHaveAttribute("data-state", "waiting");
    // The propose step's structured output belongs to the graph, not to the chat.
    await expect(messages(page)).not.toContainText('"arguments"');
    // A marker that a reload would wipe.
    await page.evaluate(() => ((window as unknown as Record<string, unknown>).__sameDocument = true));
  });

  await test.step("a reviewer, in another browser context, finds the task in the inbox and approves it", async () => {
    await asAnotherPerson(browser, "reviewer", async (inbox) => {
      await logIn(inbox, "reviewer");
      await inbox.getByRole("link", { name: /^(inbox|待办)$/i }).click();
      await inbox.getByRole("link", { name: new RegExp(token) }).click();
      await expect(inbox.getByRole("main")).toContainText(token);
      // The answer form is generated from the task's schema: "approved" is a required yes/no.
      const form = inbox.getByRole("main");
      await expect(form.getByText(/^Approved/).first()).toBeVisible();
      await form.getByRole("radio", { name: "Yes" }).check();
      await form.getByRole("button", { name: /send answer|submit/i }).click();
      await expect(inbox.getByRole("status").filter({ hasText: /answer sent/i })).toBeVisible();
    });
  });

  await test.step("the user's graph completes without a reload", async () => {
    await expect(graphNode(page, "approve")).toHaveAttribute("data-state", "completed");
    await expect(graphNode(page, "act")).toHaveAttribute("data-state", "completed");
    await expect(graphNode(page, "report")).toHaveAttribute("data-state", "completed");
    await expect(graphNode(page, "explain")).toHaveAttribute("data-state", "skipped");
    await expect(graphEdge(page, "approve", "act")).toHaveAttribute("data-edge-state", "taken");
    await expect(graphEdge(page, "approve", "explain")).toHaveAttribute("data-edge-state", "not_taken");
    // The report node's answer (the scripted model echoes the request) reached the chat.
    await expect(messages(page).getByText(`You said: ${said}`)).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as Record<string, unknown>).__sameDocument)).toBe(true);
  });
});
