/**
 * Journey: sign-in with the company's identity provider (OpenID Connect). The demo tenant's admin
 * configures the local provider the global setup started (e2e/oidcProvider.ts) on the Admin
 * page's sign-in tab: the secret comes back only masked, and the page names the redirect URI to
 * register. Then two people who have no account yet sign in with their company account, one in
 * English and one in Chinese: organisation name on the login page, the provider's own page, back
 * into the app as developers (the provider's "staff" group maps to that role), their account
 * created on the way. Finally the admin removes the provider.
 */

import { Api } from "./api";
import { asAnotherPerson, expect, logIn, test } from "./fixtures";
import { ENV_OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_GROUP } from "./oidcProvider";
import type { Page } from "@playwright/test";

const DOMAIN = "corp.example";

function issuer(): string {
  const value = process.env[ENV_OIDC_ISSUER];
  if (!value) throw new Error(`${ENV_OIDC_ISSUER} is not set (the global setup starts the provider)`);
  return value;
}

/** On the login page: the company sign-in for the demo tenant, through the provider, into the app. */
async function signInWithCompanyAccount(page: Page, email: string, labels: { open: RegExp; org: RegExp; go: RegExp }) {
  await page.goto("/");
  await page.getByRole("link", { name: labels.open }).click();
  await page.getByRole("textbox", { name: labels.org }).fill("demo");
  await page.getByRole("button", { name: labels.go }).click();
  // The provider's own page (another origin): who are you?
  await expect(page.getByRole("heading", { name: "Local identity provider" })).toBeVisible();
  expect(page.url()).toContain(`${issuer()}/authorize?`);
  expect(page.url()).toContain("code_challenge_method=S256");
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("button", { name: "Continue" }).click();
  // Back in the app, signed in: the shell's header with the person's own account.
  await expect(page.getByRole("banner")).toBeVisible();
  await expect(page.getByRole("banner")).toContainText(email);
  expect(new URL(page.url()).pathname).toBe("/");
}

test("people sign in with their company account through the tenant's identity provider", async ({
  page,
  browser,
  baseURL,
}) => {
  const stamp = Date.now();
  const english = `ada.${stamp}@${DOMAIN}`;
  const chinese = `li.${stamp}@${DOMAIN}`;
  try {
    await test.step("the admin configures the provider; the secret comes back masked", async () => {
      await logIn(page, "admin", "demo");
      await page.goto("/admin/sign-in");
      await expect(page.getByRole("heading", { name: "Sign-in with an identity provider" })).toBeVisible();
      await page.getByLabel("Issuer URL").fill(issuer());
      await page.getByLabel("Client ID").fill(OIDC_CLIENT_ID);
      await page.getByLabel("Client secret").fill(OIDC_CLIENT_SECRET);
      await page.getByLabel(/^Allowed e-mail domains/).fill(DOMAIN);
      await page.getByLabel(/^Role claim/).fill("groups");
      await page.getByLabel("Role mapping").fill(`${OIDC_GROUP} = developer`);
      await page.getByRole("button", { name: "Save" }).click();
      await expect(page.getByText(`${baseURL}/auth/oidc/callback`)).toBeVisible();
      await expect(page.getByText(`${OIDC_CLIENT_SECRET.slice(0, 3)}…${OIDC_CLIENT_SECRET.slice(-4)}`)).toBeVisible();
      await expect(page.getByLabel("Client secret")).toHaveValue("");
      expect(await page.content()).not.toContain(OIDC_CLIENT_SECRET);
    });

    await test.step("a new person signs in with their company account (English)", async () => {
      await asAnotherPerson(browser, "oidc-en", async (person) => {
        await signInWithCompanyAccount(person, english, {
          open: /^Sign in with your company account$/,
          org: /^Organisation/,
          go: /^Continue to your company sign-in$/,
        });
        // The provider's group made them a developer: the studio is theirs.
        await expect(person.getByRole("link", { name: "Studio", exact: true })).toBeVisible();
      });
    });

    await test.step("另一位新成员使用公司账号登录（中文）", async () => {
      await asAnotherPerson(
        browser,
        "oidc-zh",
        async (person) => {
          await signInWithCompanyAccount(person, chinese, {
            open: /^使用公司账号登录$/,
            org: /^组织/,
            go: /^前往公司身份认证$/,
          });
        },
        { locale: "zh-CN" },
      );
    });

    await test.step("the admin sees both accounts, created at their first sign-in", async () => {
      await page.goto("/admin/users");
      await expect(page.getByText(english)).toBeVisible();
      await expect(page.getByText(chinese)).toBeVisible();
    });

    await test.step("the admin removes the provider", async () => {
      await page.goto("/admin/sign-in");
      await page.getByRole("button", { name: "Remove the identity provider" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Remove the identity provider" }).click();
      await expect(page.getByText("No identity provider is configured")).toBeVisible();
    });
  } finally {
    // Whatever happened above, the demo tenant is left as the other journeys expect it.
    const admin = await Api.login(baseURL ?? "", "admin");
    await admin.call("DELETE", "/api/v1/tenant/identity-provider").catch(() => undefined);
  }
});
