/**
 * Journey 1: log in (choosing the tenant), find an agent in the store, chat with it while the
 * answer streams, and watch the live graph draw the agent's own topology and light its nodes up.
 */

import {
  echoOf,
  expect,
  graphNode,
  graphNodeIds,
  logIn,
  messages,
  searchStore,
  send,
  startChat,
  storeCard,
  test,
} from "./fixtures";

test("login with a tenant choice, store search, a streamed chat and its live graph", async ({ page, agents }) => {
  await test.step("log in: the email is in two tenants, the page asks which", async () => {
    await logIn(page, "admin", "demo");
    await expect(page.getByRole("banner")).toContainText("Demo Tenant");
  });

  await test.step("the store finds the Assistant despite a typo, and only it", async () => {
    await searchStore(page, "Asistant");
    await expect(storeCard(page, "Assistant")).toHaveCount(1);
    await expect(page.getByRole("link", { name: agents.triage.name, exact: true })).toHaveCount(0);
    await expect(page.getByRole("link", { name: agents.approval.name, exact: true })).toHaveCount(0);
    await startChat(page, storeCard(page, "Assistant"));
  });

  const said = `Hello from the browser journey ${Date.now()}`;
  await test.step("the scripted model's answer streams into the chat", async () => {
    await send(page, said);
    await expect(messages(page).getByText(said, { exact: true })).toBeVisible();
    await expect(messages(page).getByText(echoOf(said))).toBeVisible();
  });

  await test.step("the live graph shows the agent's topology and its node completed", async () => {
    await expect.poll(() => graphNodeIds(page)).toEqual(["__end__", "__start__", "chat"]);
    await expect(graphNode(page, "chat")).toHaveAttribute("data-state", "completed");
  });
});
