/** The composition root: builds the API client, stores, query cache and session once per page. */

import type { QueryClient } from "@tanstack/react-query";
import { ApiClient } from "../api/client";
import { TokenStore, memoryStorage, type KeyValueStorage } from "../api/tokens";
import { followPreferences } from "../session/preferences";
import { SessionStore } from "../session/sessionStore";
import { createQueryClient } from "../lib/queryClient";
import { ChatStore } from "../features/chat/chatStore";

export interface Services {
  client: ApiClient;
  chats: ChatStore;
  session: SessionStore;
  /** Server state (TanStack Query): one cache per page, cleared when the session ends. */
  queries: QueryClient;
}

function sessionStorageOrMemory(): KeyValueStorage {
  try {
    const storage = window.sessionStorage;
    storage.getItem("probe");
    return storage;
  } catch {
    return memoryStorage(); // storage disabled: the session lasts as long as the page
  }
}

export function createServices(): Services {
  const tokens = new TokenStore(sessionStorageOrMemory());
  let session: SessionStore | null = null;
  const client = new ApiClient({
    fetch: (input, init) => window.fetch(input, init),
    tokens,
    onSessionExpired: () => session?.expired(),
  });
  const chats = new ChatStore(client);
  const queries = createQueryClient();
  // Logging out (or being logged out) forgets everything cached for that person, so the
  // next login in this tab never sees the previous account's lists for a moment.
  session = new SessionStore(client, tokens, () => {
    chats.clear();
    queries.clear();
  });
  followPreferences(session, client); // the person's language and theme, from each sign-in on
  return { client, chats, session, queries };
}
