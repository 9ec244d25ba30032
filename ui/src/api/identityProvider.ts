/** Sign-in with the tenant's identity provider (OpenID Connect): starting, finishing, and its settings. */

import type { ApiClient } from "./client";
import { toApiError } from "./problem";
import type { Schemas, TokenPair } from "./types";

export type IdentityProvider = Schemas["IdentityProviderPublic"];
export type IdentityProviderSettings = Schemas["IdentityProviderSettings"];

/** The path the provider sends the browser back to (the server names it in `redirect_uri`). */
export const OIDC_CALLBACK_PATH = "/auth/oidc/callback";

/**
 * Start signing in to a tenant with its provider: resolves to the provider's authorization URL.
 * The answer also sets a short-lived cookie that ties the way back to this browser.
 */
export async function startOidcSignIn(client: ApiClient, tenant: string): Promise<string> {
  const started = await client.request<Schemas["OidcStarted"]>(`/api/auth/oidc/${encodeURIComponent(tenant)}/start`, {
    method: "POST",
    auth: false,
  });
  return started.authorization_url;
}

/** Hand the provider's code and our state to the server; resolves to our own token pair. */
export function finishOidcSignIn(client: ApiClient, code: string, state: string): Promise<TokenPair> {
  return client.request<TokenPair>("/api/auth/oidc/callback", { json: { code, state }, auth: false });
}

/** The tenant's provider, or null when none is configured. */
export async function getIdentityProvider(client: ApiClient, signal?: AbortSignal): Promise<IdentityProvider | null> {
  try {
    return await client.request<IdentityProvider>("/api/v1/tenant/identity-provider", { signal });
  } catch (error) {
    if (toApiError(error).status === 404) return null;
    throw error;
  }
}

/** Configure (or replace) the provider; a secret left out keeps the stored one. */
export function putIdentityProvider(client: ApiClient, body: IdentityProviderSettings): Promise<IdentityProvider> {
  return client.request<IdentityProvider>("/api/v1/tenant/identity-provider", { method: "PUT", json: body });
}

/** Remove the provider (password login works again). */
export async function deleteIdentityProvider(client: ApiClient): Promise<void> {
  await client.request<void>("/api/v1/tenant/identity-provider", { method: "DELETE" });
}
