/**
 * Journey 3: a support_triage run. The classifier (the offline scripted model answers the first
 * category of its schema, "billing") routes to billing: that branch and the conditional edge to
 * it are highlighted, the technical and general branches are dimmed.
 */

import {
  echoOf,
  expect,
  graphEdge,
  graphNode,
  logIn,
  messages,
  searchStore,
  send,
  startChat,
  storeCard,
  test,
} from "./fixtures";

test("a support triage run highlights the branch taken and dims the others", async ({ page, agents }) => {
  const said = `My last invoice charged me twice ${Date.now()}`;

  await test.step("open the agent's page from the store and start a chat there", async () => {
    await logIn(page, "user");
    await searchStore(page, "triage");
    await storeCard(page, agents.triage.name).getByRole("link", { name: agents.triage.name, exact: true }).click();
    // The agent's own page (the store lists "Support triage desk" beside it, so match exactly).
    await expect(page).toHaveURL(/\/store\/[^/]+$/);
    await expect(page.getByRole("heading", { name: agents.triage.name, exact: true })).toBeVisible();
    await startChat(page, page.getByRole("main"));
  });

  await test.step("the billing specialist answers", async () => {
    await send(page, said);
    await expect(messages(page).getByText(echoOf(said))).toBeVisible();
  });

  await test.step("the graph: nodes on the path completed, the other branches dimmed", async () => {
    for (const node of ["classify", "triage_router", "billing"]) {
      await expect(graphNode(page, node)).toHaveAttribute("data-state", "completed");
    }
    await expect(graphNode(page, "technical")).toHaveAttribute("data-state", "skipped");
    await expect(graphNode(page, "general")).toHaveAttribute("data-state", "skipped");
  });

  await test.step("the graph: the conditional edge taken is highlighted, the others dimmed", async () => {
    await expect(graphEdge(page, "triage_router", "billing")).toHaveAttribute("data-edge-state", "taken");
    await expect(graphEdge(page, "triage_router", "technical")).toHaveAttribute("data-edge-state", "not_taken");
    await expect(graphEdge(page, "triage_router", "general")).toHaveAttribute("data-edge-state", "not_taken");
    await expect(graphEdge(page, "billing", "__end__")).toHaveAttribute("data-edge-state", "taken");
    await expect(graphEdge(page, "technical", "__end__")).toHaveAttribute("data-edge-state", "not_taken");
  });
});
