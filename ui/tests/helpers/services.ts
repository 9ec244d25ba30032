/** Test doubles for components and API calls: a signed-in ApiClient, and rendering inside the app's providers. */

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { ApiClient, type FetchLike } from "../../src/api/client";
import { TokenStore, memoryStorage } from "../../src/api/tokens";
import { ServicesContext } from "../../src/app/context";
import type { Services } from "../../src/app/services";
import { ChatStore } from "../../src/features/chat/chatStore";
import { createQueryClient } from "../../src/lib/queryClient";
import { SessionStore } from "../../src/session/sessionStore";
import { scriptedFetch } from "./http";

/** Tokens signed in for an hour with `role`. */
function signedInTokens(role: string): TokenStore {
  const tokens = new TokenStore(memoryStorage());
  tokens.set({
    access_token: "access",
    refresh_token: "refresh",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role,
  });
  return tokens;
}

/** An ApiClient over `fetch`, signed in for an hour with `role`. */
export function clientWith(fetch: FetchLike, role = "developer"): ApiClient {
  return new ApiClient({ fetch, tokens: signedInTokens(role) });
}

/** The app's services over `fetch`, signed in with `role`; queries are not retried. */
export function signedInServices(
  fetch: FetchLike,
  role = "developer",
): { services: Services; queryClient: QueryClient } {
  const tokens = signedInTokens(role);
  const client = new ApiClient({ fetch, tokens });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const services: Services = {
    client,
    chats: new ChatStore(client),
    session: new SessionStore(client, tokens, () => {}),
    queries: queryClient,
  };
  return { services, queryClient };
}

/** `node` rendered to HTML with the app's services (no request answered), a query client and a router. */
export function renderWithServices(node: ReactNode, role?: string): string {
  const client = clientWith(scriptedFetch({}).fetch, role);
  const services: Services = {
    client,
    chats: new ChatStore(client),
    session: new SessionStore(client, new TokenStore(memoryStorage()), () => {}),
    queries: createQueryClient(),
  };
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  return renderToStaticMarkup(
    createElement(
      ServicesContext.Provider,
      { value: services },
      createElement(QueryClientProvider, { client: queryClient }, createElement(MemoryRouter, null, node)),
    ),
  );
}

/** The text of rendered HTML, tags and runs of white space folded to one space. */
export const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
