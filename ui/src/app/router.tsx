/** Every UI path and the page it shows (react-router); the signed-in pages sit inside the shell. */

import { useEffect } from "react";
import { createBrowserRouter, Navigate, useOutletContext, useParams, type RouteObject } from "react-router";
import type { Me } from "../api/types";
import { AccountPage } from "../features/account/AccountPage";
import { AdminPage } from "../features/admin/AdminPage";
import { TenantsPage } from "../features/admin/TenantsPage";
import { ChatView } from "../features/chat/ChatView";
import { HomePage } from "../features/chat/HomePage";
import { InboxPage } from "../features/inbox/InboxPage";
import { TaskPage } from "../features/inbox/TaskPage";
import { AgentPage } from "../features/store/AgentPage";
import { StorePage } from "../features/store/StorePage";
import { NodeTypesPage } from "../features/studio/NodeTypesPage";
import { ToolsPage } from "../features/tools/ToolsPage";
import { isAdminTab, useGo } from "../lib/paths";
import { canDevelop, canReview, isAdmin, isPlatformAdmin } from "../session/roles";
import { useChatStore, useServices } from "./context";
import { NotForRole } from "./NotForRole";
import { Root } from "./Root";

/** What the shell hands to every page. */
export interface ShellContext {
  me: Me;
  onNewChat: () => void;
}

export function useShell(): ShellContext {
  return useOutletContext<ShellContext>();
}

function Home() {
  return <HomePage onNewChat={useShell().onNewChat} />;
}

function OpenChat() {
  const { chatId = "" } = useParams();
  const { chats } = useServices();
  useEffect(() => chats.openChat(chatId), [chats, chatId]);
  return <ChatView key={chatId} entryKey={chatId} />;
}

/** A new chat before its first answer; follows the chat id once the server assigns one. */
function DraftChat() {
  const { key: draftKey = "" } = useParams();
  const go = useGo();
  const alias = useChatStore((s) => s.aliases[draftKey]);
  const exists = useChatStore((s) => draftKey in s.entries);
  useEffect(() => {
    if (alias) go({ name: "chat", chatId: alias }, { replace: true });
    else if (!exists) go({ name: "home" }, { replace: true });
  }, [alias, exists, go]);
  return exists ? <ChatView key={draftKey} entryKey={draftKey} /> : null;
}

function Agent() {
  const { agentId = "" } = useParams();
  return <AgentPage key={agentId} agentId={agentId} />;
}

function Inbox() {
  return canReview(useShell().me.role) ? <InboxPage /> : <NotForRole who="reviewers" />;
}

function Task() {
  const { taskId = "" } = useParams();
  return canReview(useShell().me.role) ? <TaskPage key={taskId} taskId={taskId} /> : <NotForRole who="reviewers" />;
}

function Account() {
  return <AccountPage me={useShell().me} />;
}

function Admin() {
  const { tab } = useParams();
  const { me } = useShell();
  if (!isAdmin(me.role)) return <NotForRole who="admins" />;
  if (!isAdminTab(tab)) return <Navigate to="/admin/users" replace />;
  return <AdminPage me={me} tab={tab} />;
}

function Tools() {
  return canDevelop(useShell().me.role) ? <ToolsPage /> : <NotForRole who="developers" />;
}

function Tenants() {
  return isPlatformAdmin(useShell().me) ? <TenantsPage /> : <NotForRole who="platformAdmins" />;
}

/** The signed-in pages, by path (inside the shell, which hands them `ShellContext`). */
export const pageRoutes: RouteObject[] = [
  { index: true, element: <Home /> },
  { path: "chat/:chatId", element: <OpenChat /> },
  { path: "draft/:key", element: <DraftChat /> },
  { path: "node-types", element: <NodeTypesPage /> },
  { path: "store", element: <StorePage /> },
  { path: "store/:agentId", element: <Agent /> },
  { path: "reviews", element: <Inbox /> },
  { path: "reviews/:taskId", element: <Task /> },
  { path: "account", element: <Account /> },
  { path: "admin/:tab?", element: <Admin /> },
  { path: "tools", element: <Tools /> },
  { path: "tenants", element: <Tenants /> },
  { path: "*", element: <Navigate to="/" replace /> },
];

export const routes: RouteObject[] = [{ element: <Root />, children: pageRoutes }];

export function createRouter() {
  return createBrowserRouter(routes);
}
