/** The user's chats: search, active/archived views, run badges, and the "New chat" button. */

import { Link } from "react-router";
import { useEffect, useState, type ReactNode } from "react";
import type { ChatStatus } from "../../api/types";
import { useChatStore, useServices } from "../../app/context";
import { routeHref } from "../../lib/paths";
import { agentNameFor, runBadge, type ChatEntry, type RunBadge } from "./chatState";
import { formatRelativeTime, formatTimestamp } from "../../text/time";
import { ProblemMessage } from "../../components/ProblemMessage";

interface Props {
  open: boolean;
  /** The current URL path (marks the open chat). */
  currentPath: string;
  onNewChat: () => void;
}

const SEARCH_DELAY_MS = 300;

function isCurrent(currentPath: string, key: string): boolean {
  return currentPath === routeHref({ name: "chat", chatId: key }) || currentPath === routeHref({ name: "draft", key });
}

export function Sidebar({ open, currentPath, onNewChat }: Props) {
  const { chats: store } = useServices();
  const chats = useChatStore((s) => s.chats);
  const filter = useChatStore((s) => s.chatFilter);
  const agents = useChatStore((s) => s.agents.data);
  const entries = useChatStore((s) => s.entries);
  const [query, setQuery] = useState(filter.q);

  useEffect(() => {
    if (query === filter.q) return;
    const timer = setTimeout(() => store.setChatFilter({ q: query }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query, filter.q, store]);

  const archivedView = filter.status === "archived";
  const searching = filter.q.trim() !== "";
  const listed = new Set(chats.data.map((c) => c.id));
  // Drafts, and chats created in this tab that the list has not caught up with yet.
  const pending =
    archivedView || searching
      ? []
      : Object.values(entries).filter(
          (e: ChatEntry) =>
            e.chatId === null || (!listed.has(e.chatId) && e.run !== null && e.chat?.status !== "archived"),
        );
  const setView = (status: ChatStatus) => store.setChatFilter({ status });

  return (
    <nav id="sidebar" className={`sidebar${open ? " sidebar--open" : ""}`} aria-label="Chats">
      <div className="sidebar-top">
        <button type="button" className="button button--primary sidebar-new" onClick={onNewChat}>
          New chat
        </button>
        <label className="visually-hidden" htmlFor="chat-search">
          Search chats
        </label>
        <input
          id="chat-search"
          type="search"
          className="sidebar-search"
          placeholder="Search chats"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") store.setChatFilter({ q: query });
          }}
        />
        <div className="segmented" role="group" aria-label="Which chats">
          <button type="button" aria-pressed={!archivedView} onClick={() => setView("active")}>
            Active
          </button>
          <button type="button" aria-pressed={archivedView} onClick={() => setView("archived")}>
            Archived
          </button>
        </div>
      </div>
      <ul className="chat-list" aria-busy={chats.status === "loading"}>
        {pending.map((entry) => (
          <ChatLink
            key={entry.key}
            href={routeHref(entry.chatId ? { name: "chat", chatId: entry.chatId } : { name: "draft", key: entry.key })}
            current={isCurrent(currentPath, entry.key)}
            title={entry.chat?.title ?? entry.run?.userText ?? "New chat"}
            badge={runBadge(null, entry.run)}
            meta={
              <>
                {agentNameFor(agents, entry.agentId, entry.agentName, entry.chat) ?? "Agent"} ·{" "}
                {entry.chatId ? "new" : "unsaved"}
              </>
            }
          />
        ))}
        {chats.data.map((chat) => (
          <ChatLink
            key={chat.id}
            href={routeHref({ name: "chat", chatId: chat.id })}
            current={isCurrent(currentPath, chat.id)}
            title={chat.title || "Untitled chat"}
            badge={runBadge(chat, entries[chat.id]?.run ?? null)}
            meta={
              <>
                {agentNameFor(agents, chat.agent_id, entries[chat.id]?.agentName ?? "Agent", chat)}
                {chat.agent_version ? ` v${chat.agent_version}` : ""} ·{" "}
                <time dateTime={chat.updated_at} title={formatTimestamp(chat.updated_at)}>
                  {formatRelativeTime(chat.updated_at)}
                </time>
              </>
            }
          />
        ))}
      </ul>
      <p className="visually-hidden" role="status">
        {chats.status === "ready" ? `${chats.data.length} ${archivedView ? "archived " : ""}chats` : ""}
      </p>
      {chats.status === "loading" && chats.data.length === 0 ? (
        <p className="sidebar-note muted">Loading chats…</p>
      ) : null}
      {chats.status === "ready" && chats.data.length === 0 && pending.length === 0 ? (
        <p className="sidebar-note muted">
          {searching ? "No chat matches." : archivedView ? "No archived chats." : "No chats yet."}
        </p>
      ) : null}
      <ProblemMessage error={chats.error} context="Could not load chats" onRetry={() => void store.refreshChats()} />
    </nav>
  );
}

interface ChatLinkProps {
  href: string;
  current: boolean;
  title: string;
  badge: RunBadge | null;
  meta: ReactNode;
}

function ChatLink({ href, current, title, badge, meta }: ChatLinkProps) {
  return (
    <li>
      <Link className="chat-link" to={href} aria-current={current ? "page" : undefined}>
        <span className="chat-link-row">
          <span className="chat-link-title">{title}</span>
          {badge ? (
            <span className={`run-badge run-badge--${badge.kind}`} title={badge.description}>
              <span className="run-badge-dot" aria-hidden="true" />
              <span aria-hidden="true">{badge.label}</span>
              <span className="visually-hidden"> ({badge.description})</span>
            </span>
          ) : null}
        </span>
        <span className="chat-link-meta">{meta}</span>
      </Link>
    </li>
  );
}
