/**
 * Journey 6: an agent's answer is Markdown, never HTML. The scripted model echoes the message,
 * so the answer carries an `<img onerror>` and a `javascript:` link: nothing runs, no image is
 * made, the link leads nowhere, while the answer's ordinary Markdown (bold, a link) renders.
 */

import { echoOf, expect, logIn, messages, send, startChatFromStore, test } from "./fixtures";

type Flags = { __pwned?: string };

test("raw HTML and javascript: links in an agent's answer run nothing", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const said =
    `Look <img src=x onerror="window.__pwned='img';alert('img')"> ` +
    `and [click me](javascript:window.__pwned='link';alert('link')) ` +
    `or [the docs](https://example.com/docs) with **bold words**`;

  await logIn(page, "user");
  await startChatFromStore(page, "Assistant");
  await send(page, said);

  const answer = messages(page).getByText(/You said: Look/);
  await test.step("the answer arrives, its Markdown rendered", async () => {
    await expect(answer).toBeVisible();
    await expect(messages(page).locator("strong", { hasText: "bold words" }).last()).toBeVisible();
    await expect(messages(page).getByRole("link", { name: "the docs" }).last()).toHaveAttribute(
      "href",
      "https://example.com/docs",
    );
  });

  await test.step("the <img onerror> is not an image and ran nothing", async () => {
    await expect(page.locator('img[src="x"], img[onerror]')).toHaveCount(0);
    // Give a broken image time to fire its error handler, had one been made.
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as Flags).__pwned)).toBeUndefined();
  });

  await test.step("the javascript: link leads nowhere and clicking it runs nothing", async () => {
    const links = messages(page).getByRole("link", { name: "click me" });
    for (const link of await links.all()) {
      expect(await link.getAttribute("href")).not.toMatch(/^\s*javascript:/i);
    }
    // The agent's answer is the last message (the person's own message may render the link too).
    if ((await links.count()) > 0) await links.last().click();
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as Flags).__pwned)).toBeUndefined();
    expect(await page.locator('[href^="javascript:" i]').count()).toBe(0);
  });

  expect(dialogs).toEqual([]);
  // The person still sees what the agent said (the echo is the proof the text went through it).
  await expect(messages(page)).toContainText(echoOf("Look"));
});
