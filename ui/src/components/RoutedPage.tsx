/** Picks the page for the current route. */

import { useEffect } from "react";
import { useChatStore, useServices } from "../app/context";
import { navigate, type Route } from "../routing/routes";
import { ChatView } from "./ChatView";
import { HomePage } from "./HomePage";
import { NodeTypesPage } from "./NodeTypesPage";

interface Props {
  route: Route;
  onNewChat: () => void;
}

export function RoutedPage({ route, onNewChat }: Props) {
  switch (route.name) {
    case "home":
      return <HomePage onNewChat={onNewChat} />;
    case "node-types":
      return <NodeTypesPage />;
    case "chat":
      return <OpenChat key={route.chatId} chatId={route.chatId} />;
    case "draft":
      return <DraftChat key={route.key} draftKey={route.key} />;
  }
}

function OpenChat({ chatId }: { chatId: string }) {
  const { chats } = useServices();
  useEffect(() => chats.openChat(chatId), [chats, chatId]);
  return <ChatView entryKey={chatId} />;
}

/** A new chat before its first answer; follows the chat id once the server assigns one. */
function DraftChat({ draftKey }: { draftKey: string }) {
  const alias = useChatStore((s) => s.aliases[draftKey]);
  const exists = useChatStore((s) => draftKey in s.entries);
  useEffect(() => {
    if (alias) navigate({ name: "chat", chatId: alias }, { replace: true });
    else if (!exists) navigate({ name: "home" }, { replace: true });
  }, [alias, exists]);
  return exists ? <ChatView entryKey={draftKey} /> : null;
}
