/** React access to the services and their stores. */

import { createContext, useContext, useSyncExternalStore } from "react";
import type { SessionState } from "../session/sessionStore";
import type { ChatStoreState } from "../features/chat/chatState";
import type { Services } from "./services";

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useServices outside <ServicesContext.Provider>");
  return services;
}

/** A slice of the chat store; `select` must return a stored value, not a new object. */
export function useChatStore<T>(select: (state: ChatStoreState) => T): T {
  const { chats } = useServices();
  const get = () => select(chats.getState());
  return useSyncExternalStore(chats.subscribe, get, get); // the same snapshot when rendered outside a browser (tests)
}

export function useSession(): SessionState {
  const { session } = useServices();
  return useSyncExternalStore(session.subscribe, session.getState, session.getState);
}
