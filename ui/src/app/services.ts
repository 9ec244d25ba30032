/** The composition root: builds the API client, stores and session once per page. */

import { ApiClient } from "../api/client";
import { TokenStore, memoryStorage, type KeyValueStorage } from "../api/tokens";
import { SessionStore } from "../session/sessionStore";
import { ChatStore } from "../features/chat/chatStore";

export interface Services {
  client: ApiClient;
  chats: ChatStore;
  session: SessionStore;
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
  session = new SessionStore(client, tokens, () => chats.clear());
  return { client, chats, session };
}
