/** The caller's notifications: newest first, unread marked; opening one marks it read. */

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ProblemMessage } from "../../components/ProblemMessage";
import { When } from "../../components/When";
import { useMarkRead, useNotifications, type Notification } from "./api";
import { EmailSettings } from "./EmailSettings";
import { notificationText } from "./notificationText";
import "./notifications.css";

export function NotificationsPage() {
  const { t } = useTranslation("notifications");
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useNotifications(unreadOnly);
  const markRead = useMarkRead();
  const navigate = useNavigate();
  const items = list.data?.items ?? [];
  const unread = list.data?.unread ?? 0;

  const open = (note: Notification) => {
    if (!note.read_at) markRead.mutate(note.id);
    // Links are the platform's own paths; anything else is not followed.
    if (note.link?.startsWith("/")) void navigate(note.link);
  };

  return (
    <section className="page notifications" aria-labelledby="notifications-title">
      <div className="page-head">
        <h1 id="notifications-title">{t("title")}</h1>
        <button
          type="button"
          className="button button--small"
          onClick={() => markRead.mutate(undefined)}
          disabled={unread === 0 || markRead.isPending}
        >
          {t("readAll")}
        </button>
      </div>
      <p className="muted" role="status">
        {t("unreadCount", { count: unread })}
      </p>
      <label className="notifications-filter">
        <input type="checkbox" checked={unreadOnly} onChange={(event) => setUnreadOnly(event.target.checked)} />
        {t("unreadOnly")}
      </label>
      <ProblemMessage error={list.error} context={t("loadFailed")} onRetry={() => void list.refetch()} />
      {list.data && items.length === 0 ? <p className="muted">{t("empty")}</p> : null}
      <ul className="notification-list">
        {items.map((note) => {
          const { title, body } = notificationText(t, note);
          return (
            <li key={note.id} className={`notification${note.read_at ? "" : " notification--unread"}`}>
              <button type="button" className="notification-open" onClick={() => open(note)}>
                <span className="notification-title">
                  {note.read_at ? null : <span className="visually-hidden">{t("unreadMark")}</span>}
                  {title}
                </span>
                <span className="notification-body">{body}</span>
                <span className="notification-time muted">
                  <When iso={note.created_at} none="" />
                </span>
              </button>
              {note.read_at ? null : (
                <button
                  type="button"
                  className="button button--small button--ghost"
                  onClick={() => markRead.mutate(note.id)}
                >
                  {t("markRead")}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <EmailSettings />
    </section>
  );
}
