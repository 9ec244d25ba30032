/** Picks the page for the current route. */

import { useEffect } from "react";
import type { Me } from "../api/types";
import { useChatStore, useServices } from "./context";
import { navigate, type Route } from "../routing/routes";
import { canDevelop, canReview, isAdmin, isPlatformAdmin } from "../session/roles";
import { AccountPage } from "../features/account/AccountPage";
import { AdminPage } from "../features/admin/AdminPage";
import { AgentPage } from "../features/store/AgentPage";
import { ChatView } from "../features/chat/ChatView";
import { HomePage } from "../features/chat/HomePage";
import { InboxPage } from "../features/inbox/InboxPage";
import { NodeTypesPage } from "../features/studio/NodeTypesPage";
import { StorePage } from "../features/store/StorePage";
import { TaskPage } from "../features/inbox/TaskPage";
import { TenantsPage } from "../features/admin/TenantsPage";
import { ToolsPage } from "../features/tools/ToolsPage";

interface Props {
  me: Me;
  route: Route;
  onNewChat: () => void;
}

export function RoutedPage({ me, route, onNewChat }: Props) {
  switch (route.name) {
    case "home":
      return <HomePage onNewChat={onNewChat} />;
    case "node-types":
      return <NodeTypesPage />;
    case "chat":
      return <OpenChat key={route.chatId} chatId={route.chatId} />;
    case "draft":
      return <DraftChat key={route.key} draftKey={route.key} />;
    case "store":
      return <StorePage />;
    case "agent":
      return <AgentPage key={route.agentId} agentId={route.agentId} />;
    case "reviews":
      return canReview(me.role) ? <InboxPage /> : <NotForRole {...REVIEWERS_ONLY} />;
    case "task":
      return canReview(me.role) ? (
        <TaskPage key={route.taskId} taskId={route.taskId} />
      ) : (
        <NotForRole {...REVIEWERS_ONLY} />
      );
    case "account":
      return <AccountPage me={me} />;
    case "admin":
      return isAdmin(me.role) ? (
        <AdminPage me={me} tab={route.tab} />
      ) : (
        <NotForRole title="Admins only" text="The Admin area is for your organisation's administrators." />
      );
    case "tools":
      return canDevelop(me.role) ? (
        <ToolsPage />
      ) : (
        <NotForRole title="Developers only" text="Tool servers are managed by the developer and admin roles." />
      );
    case "tenants":
      return isPlatformAdmin(me) ? (
        <TenantsPage />
      ) : (
        <NotForRole title="Platform admins only" text="Tenants are managed by the platform's operators." />
      );
  }
}

const REVIEWERS_ONLY = { title: "Reviewers only", text: "The reviewer inbox is for the reviewer and admin roles." };

function NotForRole({ title, text }: { title: string; text: string }) {
  return (
    <section className="page" aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">{title}</h1>
      <p className="muted">{text}</p>
    </section>
  );
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
