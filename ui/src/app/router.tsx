/**
 * Every UI path and the page it shows (react-router); the signed-in pages sit inside the shell.
 *
 * Login, home, chat, the store and the inbox list are in the main bundle. The heavier pages
 * most people seldom open (a review task with its JSON-schema form, admin, tenants, tools,
 * node types, studio, models, knowledge bases, account) load their code on first visit, with a
 * loading line meanwhile; the role checks stay here, so a page a person may not see is never
 * downloaded.
 */

import { lazy, Suspense, useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import {
  createBrowserRouter,
  Navigate,
  useOutletContext,
  useParams,
  useSearchParams,
  type RouteObject,
} from "react-router";
import type { Me } from "../api/types";
import { ChatView } from "../features/chat/ChatView";
import { HomePage } from "../features/chat/HomePage";
import { InboxPage } from "../features/inbox/InboxPage";
import { SubmissionsPage } from "../features/inbox/SubmissionsPage";
import { AgentPage } from "../features/store/AgentPage";
import { StorePage } from "../features/store/StorePage";
import { isAdminTab, useGo } from "../lib/paths";
import { canDevelop, canReview, hasInbox, isAdmin, isPlatformAdmin } from "../session/roles";
import { useChatStore, useServices } from "./context";
import { NotForRole } from "./NotForRole";
import { Root } from "./Root";
import { RouteError } from "./RouteError";

const AccountPage = lazy(() => import("../features/account/AccountPage").then((m) => ({ default: m.AccountPage })));
const AdminPage = lazy(() => import("../features/admin/AdminPage").then((m) => ({ default: m.AdminPage })));
const TenantsPage = lazy(() => import("../features/admin/TenantsPage").then((m) => ({ default: m.TenantsPage })));
const SubmissionPage = lazy(() =>
  import("../features/inbox/SubmissionPage").then((m) => ({ default: m.SubmissionPage })),
);
const TaskPage = lazy(() => import("../features/inbox/TaskPage").then((m) => ({ default: m.TaskPage })));
const NodeTypesPage = lazy(() =>
  import("../features/studio/NodeTypesPage").then((m) => ({ default: m.NodeTypesPage })),
);
const StudioPage = lazy(() => import("../features/studio/StudioPage").then((m) => ({ default: m.StudioPage })));
const TemplatesPage = lazy(() =>
  import("../features/studio/TemplatesPage").then((m) => ({ default: m.TemplatesPage })),
);
const TemplatePage = lazy(() => import("../features/studio/TemplatePage").then((m) => ({ default: m.TemplatePage })));
const StudioAgentPage = lazy(() =>
  import("../features/studio/StudioAgentPage").then((m) => ({ default: m.StudioAgentPage })),
);
const NewAgentBuilderPage = lazy(() =>
  import("../features/studio/builder/BuilderPage").then((m) => ({ default: m.NewAgentBuilderPage })),
);
const AgentBuilderPage = lazy(() =>
  import("../features/studio/builder/BuilderPage").then((m) => ({ default: m.AgentBuilderPage })),
);
const VersionDiffPage = lazy(() =>
  import("../features/studio/diff/VersionDiffPage").then((m) => ({ default: m.VersionDiffPage })),
);
const ToolsPage = lazy(() => import("../features/tools/ToolsPage").then((m) => ({ default: m.ToolsPage })));
const ToolStorePage = lazy(() =>
  import("../features/toolStore/ToolStorePage").then((m) => ({ default: m.ToolStorePage })),
);
const ProvidersPage = lazy(() =>
  import("../features/providers/ProvidersPage").then((m) => ({ default: m.ProvidersPage })),
);
const NotificationsPage = lazy(() =>
  import("../features/notifications/NotificationsPage").then((m) => ({ default: m.NotificationsPage })),
);
const WebhooksPage = lazy(() =>
  import("../features/notifications/WebhooksPage").then((m) => ({ default: m.WebhooksPage })),
);
const KnowledgePage = lazy(() =>
  import("../features/knowledge/KnowledgePage").then((m) => ({ default: m.KnowledgePage })),
);
const KnowledgeBasePage = lazy(() =>
  import("../features/knowledge/KnowledgeBasePage").then((m) => ({ default: m.KnowledgeBasePage })),
);

/** What the shell hands to every page. */
export interface ShellContext {
  me: Me;
  onNewChat: () => void;
}

export function useShell(): ShellContext {
  return useOutletContext<ShellContext>();
}

/** A page whose code loads on first visit: a loading line until it is there. */
function Deferred({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <p className="muted page-loading" role="status">
          {t("loading")}
        </p>
      }
    >
      {children}
    </Suspense>
  );
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
  return hasInbox(useShell().me.role) ? <InboxPage /> : <NotForRole who="reviewers" />;
}

function Task() {
  const { taskId = "" } = useParams();
  if (!hasInbox(useShell().me.role)) return <NotForRole who="reviewers" />;
  return (
    <Deferred>
      <TaskPage key={taskId} taskId={taskId} />
    </Deferred>
  );
}

function Submissions() {
  return canReview(useShell().me.role) ? <SubmissionsPage /> : <NotForRole who="reviewers" />;
}

function Submission() {
  const { versionId = "" } = useParams();
  if (!canReview(useShell().me.role)) return <NotForRole who="reviewers" />;
  return (
    <Deferred>
      <SubmissionPage key={versionId} versionId={versionId} />
    </Deferred>
  );
}

function Account() {
  return (
    <Deferred>
      <AccountPage me={useShell().me} />
    </Deferred>
  );
}

function Admin() {
  const { tab } = useParams();
  const { me } = useShell();
  if (!isAdmin(me.role)) return <NotForRole who="admins" />;
  if (!isAdminTab(tab)) return <Navigate to="/admin/users" replace />;
  return (
    <Deferred>
      <AdminPage me={me} tab={tab} />
    </Deferred>
  );
}

function Notifications() {
  return (
    <Deferred>
      <NotificationsPage />
    </Deferred>
  );
}

function Webhooks() {
  if (!isAdmin(useShell().me.role)) return <NotForRole who="admins" />;
  return (
    <Deferred>
      <WebhooksPage />
    </Deferred>
  );
}

function NodeTypes() {
  return (
    <Deferred>
      <NodeTypesPage />
    </Deferred>
  );
}

function Tools() {
  if (!canDevelop(useShell().me.role)) return <NotForRole who="developers" />;
  return (
    <Deferred>
      <ToolsPage />
    </Deferred>
  );
}

/** Developers browse the tool store; tenant admins install from it. */
function ToolStore() {
  const { me } = useShell();
  if (!canDevelop(me.role)) return <NotForRole who="developers" />;
  return (
    <Deferred>
      <ToolStorePage canInstall={isAdmin(me.role)} />
    </Deferred>
  );
}

/** Studio (developers and admins): their agents, the templates gallery, a template, an agent. */
function Studio({ page }: { page: "agents" | "templates" | "template" | "agent" }) {
  const { templateId = "", agentId = "" } = useParams();
  if (!canDevelop(useShell().me.role)) return <NotForRole who="developers" />;
  return (
    <Deferred>
      {page === "agents" ? <StudioPage /> : null}
      {page === "templates" ? <TemplatesPage /> : null}
      {page === "template" ? <TemplatePage key={templateId} templateId={templateId} /> : null}
      {page === "agent" ? <StudioAgentPage key={agentId} agentId={agentId} /> : null}
    </Deferred>
  );
}

/** Two versions of an agent compared (`?from=<version>&to=<version>`). */
function StudioDiff() {
  const { agentId = "" } = useParams();
  if (!canDevelop(useShell().me.role)) return <NotForRole who="developers" />;
  return (
    <Deferred>
      <VersionDiffPage key={agentId} agentId={agentId} />
    </Deferred>
  );
}

/** Model providers and service configs (tenant admins). */
function Providers() {
  if (!isAdmin(useShell().me.role)) return <NotForRole who="admins" />;
  return (
    <Deferred>
      <ProvidersPage />
    </Deferred>
  );
}

/** Knowledge bases and one knowledge base (developers and admins). */
function Knowledge() {
  const { knowledgeBaseId } = useParams();
  if (!canDevelop(useShell().me.role)) return <NotForRole who="developers" />;
  return (
    <Deferred>
      {knowledgeBaseId ? <KnowledgeBasePage key={knowledgeBaseId} baseId={knowledgeBaseId} /> : <KnowledgePage />}
    </Deferred>
  );
}

/** The builder: a new agent's empty canvas, or a version of an agent (`?from=<version>`, `&copy=1` to edit a copy). */
function StudioBuilder() {
  const { agentId } = useParams();
  const [search] = useSearchParams();
  if (!canDevelop(useShell().me.role)) return <NotForRole who="developers" />;
  const from = search.get("from");
  return (
    <Deferred>
      {agentId ? (
        <AgentBuilderPage key={agentId} agentId={agentId} versionId={from} copy={search.get("copy") === "1"} />
      ) : (
        <NewAgentBuilderPage />
      )}
    </Deferred>
  );
}

function Tenants() {
  if (!isPlatformAdmin(useShell().me)) return <NotForRole who="platformAdmins" />;
  return (
    <Deferred>
      <TenantsPage />
    </Deferred>
  );
}

/** The signed-in pages, by path (inside the shell, which hands them `ShellContext`). */
export const pageRoutes: RouteObject[] = [
  { index: true, element: <Home /> },
  { path: "chat/:chatId", element: <OpenChat /> },
  { path: "draft/:key", element: <DraftChat /> },
  { path: "node-types", element: <NodeTypes /> },
  { path: "store", element: <StorePage /> },
  { path: "store/:agentId", element: <Agent /> },
  { path: "reviews", element: <Inbox /> },
  { path: "reviews/submissions", element: <Submissions /> },
  { path: "reviews/submissions/:versionId", element: <Submission /> },
  { path: "reviews/:taskId", element: <Task /> },
  { path: "account", element: <Account /> },
  { path: "admin/:tab?", element: <Admin /> },
  { path: "tools", element: <Tools /> },
  { path: "tools/store", element: <ToolStore /> },
  { path: "studio", element: <Studio page="agents" /> },
  { path: "studio/templates", element: <Studio page="templates" /> },
  { path: "studio/templates/:templateId", element: <Studio page="template" /> },
  { path: "studio/agents/:agentId", element: <Studio page="agent" /> },
  { path: "studio/new", element: <StudioBuilder /> },
  { path: "studio/agents/:agentId/builder", element: <StudioBuilder /> },
  { path: "studio/agents/:agentId/diff", element: <StudioDiff /> },
  { path: "providers", element: <Providers /> },
  { path: "knowledge", element: <Knowledge /> },
  { path: "knowledge/:knowledgeBaseId", element: <Knowledge /> },
  { path: "tenants", element: <Tenants /> },
  { path: "notifications", element: <Notifications /> },
  { path: "webhooks", element: <Webhooks /> },
  { path: "*", element: <Navigate to="/" replace /> },
];

// A page that fails (its chunk did not load, or it broke) shows RouteError inside the shell;
// a failure of the shell itself shows it alone.
export const routes: RouteObject[] = [
  {
    element: <Root />,
    errorElement: <RouteError />,
    children: [{ errorElement: <RouteError />, children: pageRoutes }],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
