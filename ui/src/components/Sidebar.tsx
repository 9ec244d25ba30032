/** The user's chats (unsaved and just-created ones first) and the "New chat" button. */

import type { ReactNode } from "react";
import { useChatStore, useServices } from "../app/context";
import { routeHref, type Route } from "../routing/routes";
import { agentNameFor, type ChatEntry } from "../store/chatState";
import { formatRelativeTime, formatTimestamp } from "../text/time";
import { ProblemMessage } from "./ProblemMessage";

interface Props {
  open: boolean;
  route: Route;
  onNewChat: () => void;
}

function isCurrent(route: Route, key: string): boolean {
  return (route.name === "chat" && route.chatId === key) || (route.name === "draft" && route.key === key);
}

export function Sidebar({ open, route, onNewChat }: Props) {
  const { chats: store } = useServices();
  const chats = useChatStore((s) => s.chats);
  const agents = useChatStore((s) => s.agents.data);
  const entries = useChatStore((s) => s.entries);
  const listed = new Set(chats.data.map((c) => c.id));
  // Drafts, and chats created in this tab that the list has not caught up with yet.
  const pending = Object.values(entries).filter(
    (e: ChatEntry) => e.chatId === null || (!listed.has(e.chatId) && e.run !== null),
  );

  return (
    <nav id="sidebar" className={`sidebar${open ? " sidebar--open" : ""}`} aria-label="Chats">
      <div className="sidebar-top">
        <button type="button" className="button button--primary sidebar-new" onClick={onNewChat}>
          New chat
        </button>
      </div>
      <ul className="chat-list">
        {pending.map((entry) => (
          <ChatLink
            key={entry.key}
            href={routeHref(entry.chatId ? { name: "chat", chatId: entry.chatId } : { name: "draft", key: entry.key })}
            current={isCurrent(route, entry.key)}
            title={entry.chat?.title ?? entry.run?.userText ?? "New chat"}
            running={Boolean(entry.run?.active)}
            meta={
              <>
                {agentNameFor(agents, entry.agentId, entry.agentName) ?? "Agent"} · {entry.chatId ? "new" : "unsaved"}
              </>
            }
          />
        ))}
        {chats.data.map((chat) => (
          <ChatLink
            key={chat.id}
            href={routeHref({ name: "chat", chatId: chat.id })}
            current={isCurrent(route, chat.id)}
            title={chat.title || "Untitled chat"}
            running={Boolean(entries[chat.id]?.run?.active)}
            meta={
              <>
                {agentNameFor(agents, chat.agent_id, entries[chat.id]?.agentName ?? "Agent")} ·{" "}
                <time dateTime={chat.updated_at} title={formatTimestamp(chat.updated_at)}>
                  {formatRelativeTime(chat.updated_at)}
                </time>
              </>
            }
          />
        ))}
      </ul>
      {chats.status === "loading" && chats.data.length === 0 ? (
        <p className="sidebar-note muted" role="status">
          Loading chats…
        </p>
      ) : null}
      {chats.status === "ready" && chats.data.length === 0 && pending.length === 0 ? (
        <p className="sidebar-note muted">No chats yet.</p>
      ) : null}
      <ProblemMessage error={chats.error} context="Could not load chats" onRetry={() => void store.refreshChats()} />
    </nav>
  );
}

interface ChatLinkProps {
  href: string;
  current: boolean;
  title: string;
  running: boolean;
  meta: ReactNode;
}

function ChatLink({ href, current, title, running, meta }: ChatLinkProps) {
  return (
    <li>
      <a className="chat-link" href={href} aria-current={current ? "page" : undefined}>
        <span className="chat-link-row">
          <span className="chat-link-title">{title}</span>
          {running ? (
            <span className="running-dot" title="Running">
              <span className="visually-hidden"> (running)</span>
            </span>
          ) : null}
        </span>
        <span className="chat-link-meta">{meta}</span>
      </a>
    </li>
  );
}
