/** The user's chats: search, active/archived views, run badges, and the "New chat" button. */

import { Link } from "react-router";
import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ChatStatus } from "../../api/types";
import { useChatStore, useServices } from "../../app/context";
import { useLocale } from "../../lib/format";
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
  const { t } = useTranslation("chat");
  const locale = useLocale();
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
    <nav id="sidebar" className={`sidebar${open ? " sidebar--open" : ""}`} aria-label={t("sidebar.label")}>
      <div className="sidebar-top">
        <button type="button" className="button button--primary sidebar-new" onClick={onNewChat}>
          {t("newChat")}
        </button>
        <label className="visually-hidden" htmlFor="chat-search">
          {t("sidebar.search")}
        </label>
        <input
          id="chat-search"
          type="search"
          className="sidebar-search"
          placeholder={t("sidebar.search")}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") store.setChatFilter({ q: query });
          }}
        />
        <div className="segmented" role="group" aria-label={t("sidebar.which")}>
          <button type="button" aria-pressed={!archivedView} onClick={() => setView("active")}>
            {t("sidebar.active")}
          </button>
          <button type="button" aria-pressed={archivedView} onClick={() => setView("archived")}>
            {t("sidebar.archived")}
          </button>
        </div>
      </div>
      <ul className="chat-list" aria-busy={chats.status === "loading"}>
        {pending.map((entry) => (
          <ChatLink
            key={entry.key}
            href={routeHref(entry.chatId ? { name: "chat", chatId: entry.chatId } : { name: "draft", key: entry.key })}
            current={isCurrent(currentPath, entry.key)}
            title={entry.chat?.title ?? entry.run?.userText ?? t("newChat")}
            badge={runBadge(null, entry.run)}
            meta={t(entry.chatId ? "sidebar.metaNew" : "sidebar.metaUnsaved", {
              agent: agentNameFor(agents, entry.agentId, entry.agentName, entry.chat) ?? t("agentFallback"),
            })}
          />
        ))}
        {chats.data.map((chat) => (
          <ChatLink
            key={chat.id}
            href={routeHref({ name: "chat", chatId: chat.id })}
            current={isCurrent(currentPath, chat.id)}
            title={chat.title || t("sidebar.untitled")}
            badge={runBadge(chat, entries[chat.id]?.run ?? null)}
            meta={
              <>
                {chat.agent_version
                  ? t("sidebar.agentVersion", {
                      agent: agentNameFor(
                        agents,
                        chat.agent_id,
                        entries[chat.id]?.agentName ?? t("agentFallback"),
                        chat,
                      ),
                      version: chat.agent_version,
                    })
                  : agentNameFor(agents, chat.agent_id, entries[chat.id]?.agentName ?? t("agentFallback"), chat)}
                {" · "}
                <time dateTime={chat.updated_at} title={formatTimestamp(chat.updated_at, locale)}>
                  {formatRelativeTime(chat.updated_at, Date.now(), locale)}
                </time>
              </>
            }
          />
        ))}
      </ul>
      <p className="visually-hidden" role="status">
        {chats.status === "ready"
          ? t(archivedView ? "sidebar.countArchived" : "sidebar.count", { count: chats.data.length })
          : ""}
      </p>
      {chats.status === "loading" && chats.data.length === 0 ? (
        <p className="sidebar-note muted">{t("sidebar.loading")}</p>
      ) : null}
      {chats.status === "ready" && chats.data.length === 0 && pending.length === 0 ? (
        <p className="sidebar-note muted">
          {searching ? t("sidebar.noMatch") : archivedView ? t("sidebar.noArchived") : t("sidebar.none")}
        </p>
      ) : null}
      <ProblemMessage error={chats.error} context={t("sidebar.problem")} onRetry={() => void store.refreshChats()} />
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
  const { t } = useTranslation("chat");
  return (
    <li>
      <Link className="chat-link" to={href} aria-current={current ? "page" : undefined}>
        <span className="chat-link-row">
          <span className="chat-link-title">{title}</span>
          {badge ? (
            <span className={`run-badge run-badge--${badge}`} title={t(`badge.${badge}.description`)}>
              <span className="run-badge-dot" aria-hidden="true" />
              <span aria-hidden="true">{t(`badge.${badge}.label`)}</span>
              <span className="visually-hidden"> ({t(`badge.${badge}.description`)})</span>
            </span>
          ) : null}
        </span>
        <span className="chat-link-meta">{meta}</span>
      </Link>
    </li>
  );
}
