/** Login, tenant choice and the current account. */

import type { ApiClient } from "./client";
import type { TokenStore } from "./tokens";
import type { Me, TenantChoice, TenantSelectionRequired, TokenPair } from "./types";

export type LoginOutcome = { kind: "signed-in" } | { kind: "choose-tenant"; detail: string; tenants: TenantChoice[] };

/** Log in; a 202 answer means the email is in several tenants and one must be chosen. */
export async function login(
  client: ApiClient,
  tokens: TokenStore,
  email: string,
  password: string,
): Promise<LoginOutcome> {
  const response = await client.requestFull<TokenPair | TenantSelectionRequired>("/api/auth/login", {
    json: { email, password },
    auth: false,
  });
  if (response.status === 202) {
    const choice = response.data as TenantSelectionRequired;
    return { kind: "choose-tenant", detail: choice.detail ?? "", tenants: choice.tenants ?? [] };
  }
  tokens.set(response.data as TokenPair);
  return { kind: "signed-in" };
}

/** Log in to one tenant (name or id) after a 202 from `login`. */
export async function loginWithTenant(
  client: ApiClient,
  tokens: TokenStore,
  email: string,
  password: string,
  tenant: string,
): Promise<void> {
  const pair = await client.request<TokenPair>("/api/auth/login-with-tenant", {
    json: { email, password, tenant },
    auth: false,
  });
  tokens.set(pair);
}

/** The logged-in account. */
export function fetchMe(client: ApiClient, signal?: AbortSignal): Promise<Me> {
  return client.request<Me>("/api/auth/me", { signal });
}

/** End this login on the server: its refresh token stops working. */
export async function logout(client: ApiClient, refreshToken: string): Promise<void> {
  await client.request<void>("/api/auth/logout", { json: { refresh_token: refreshToken }, auth: false });
}

/** Revoke every access and refresh token of the account, on every device. */
export async function logoutEverywhere(client: ApiClient): Promise<void> {
  await client.request<void>("/api/auth/logout-all", { method: "POST" });
}

/**
 * Change the caller's password (the current one is required; the password policy applies).
 * Every other session ends; the answer is a new token pair for this one, stored here.
 */
export async function changePassword(
  client: ApiClient,
  tokens: TokenStore,
  body: { current_password: string; new_password: string },
): Promise<void> {
  const pair = await client.request<TokenPair>("/api/auth/password", { json: body });
  tokens.set(pair);
}
