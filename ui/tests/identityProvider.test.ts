import { describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import { finishOidcSignIn, startOidcSignIn, type IdentityProvider } from "../src/api/identityProvider";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import { SessionStore } from "../src/session/sessionStore";
import { json, problem, scriptedFetch } from "./helpers/http";
import { badMappingLines, EMPTY_FORM, formOf, settingsOf } from "../src/features/admin/identityProviderForm";

const stored: IdentityProvider = {
  issuer: "https://login.corp.example",
  client_id: "agentpaas",
  client_secret_hint: "abc…wxyz",
  scopes: "openid email profile",
  allowed_domains: ["corp.example", "corp.cn"],
  role_claim: "groups",
  role_mapping: { "agent-builders": "developer", staff: "user" },
  default_role: "viewer",
  jit_provisioning: true,
  local_login_enabled: false,
  enabled: true,
  redirect_uri: "https://paas.corp.example/auth/oidc/callback",
  created_at: "2026-12-06T00:00:00Z",
  updated_at: "2026-12-06T00:00:00Z",
};

describe("identity provider form", () => {
  it("shows what is stored, but never a secret", () => {
    const form = formOf(stored);
    expect(form.clientSecret).toBe("");
    expect(form.allowedDomains).toBe("corp.example, corp.cn");
    expect(form.roleMapping).toBe("agent-builders = developer\nstaff = user");
    expect(formOf(null)).toEqual(EMPTY_FORM);
  });

  it("sends back the same settings, keeping the stored secret when the field is blank", () => {
    const body = settingsOf(formOf(stored));
    expect(body).not.toHaveProperty("client_secret");
    expect(body.allowed_domains).toEqual(["corp.example", "corp.cn"]);
    expect(body.role_mapping).toEqual(stored.role_mapping);
    expect(body.local_login_enabled).toBe(false);
    expect(settingsOf({ ...formOf(stored), clientSecret: "s3cret", roleClaim: " " })).toMatchObject({
      client_secret: "s3cret",
      role_claim: null,
    });
  });

  it("points at mapping lines that are not value = role", () => {
    expect(badMappingLines("a = developer\n\nb=admin")).toEqual([]);
    expect(badMappingLines("a = boss\nno equals\n= user\nc = viewer")).toEqual([1, 2, 3]);
    // A claim value may itself hold "=": the role is what follows the last one.
    expect(settingsOf({ ...EMPTY_FORM, roleMapping: "cn=ops,dc=corp = admin" }).role_mapping).toEqual({
      "cn=ops,dc=corp": "admin",
    });
  });
});

describe("finishing a company sign-in", () => {
  const pair = {
    access_token: "access-oidc",
    refresh_token: "refresh-oidc",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "developer",
  };
  const me = {
    id: "u",
    email: "ada@corp.example",
    display_name: "Ada",
    role: "developer",
    tenant_id: "t",
    tenant_name: "acme",
    tenant_display_name: "Acme",
  };

  function setup(routes: Parameters<typeof scriptedFetch>[0]) {
    const { fetch, calls } = scriptedFetch(routes);
    const tokens = new TokenStore(memoryStorage());
    const client = new ApiClient({ fetch, tokens });
    return { client, tokens, calls, session: new SessionStore(client, tokens, () => undefined) };
  }

  it("hands code and state to the server without a bearer token and opens the session", async () => {
    const { client, tokens, calls, session } = setup({
      "POST /api/auth/oidc/callback": () => json(200, pair),
      "GET /api/auth/me": () => json(200, me),
    });
    await session.adoptTokens(await finishOidcSignIn(client, "the-code", "the-state"));
    expect(calls[0]!.body).toEqual({ code: "the-code", state: "the-state" });
    expect(calls[0]!.headers.Authorization).toBeUndefined();
    expect(tokens.get()).toMatchObject({ accessToken: "access-oidc", refreshToken: "refresh-oidc" });
    expect(session.getState()).toEqual({ status: "ready", me });
  });

  it("stores nothing when the server refuses the sign-in", async () => {
    const { client, tokens } = setup({
      "POST /api/auth/oidc/callback": () => problem(401, "the ID token has expired"),
    });
    await expect(finishOidcSignIn(client, "c", "s")).rejects.toMatchObject({
      status: 401,
      detail: "the ID token has expired",
    });
    expect(tokens.get()).toBeNull();
  });

  it("starts at the tenant's own start route and answers the provider's URL", async () => {
    const { client, calls } = setup({
      "POST /api/auth/oidc/a%20b/start": () => json(200, { authorization_url: "https://idp/authorize?x=1" }),
    });
    expect(await startOidcSignIn(client, "a b")).toBe("https://idp/authorize?x=1");
    expect(calls[0]!.method).toBe("POST");
  });
});
