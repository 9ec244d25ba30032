/** The bell in the header: a link to the notifications page with the unread count on it. */

import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";
import { useNotifications } from "./api";
import "./notifications.css";

export function NotificationBell() {
  const { t } = useTranslation("notifications");
  // One item is enough: the page carries the unread count.
  const unread = useNotifications(true, 1).data?.unread ?? 0;
  const label = unread > 0 ? t("bell.unread", { count: unread }) : t("bell.none");
  return (
    <NavLink to="/notifications" className="notification-bell" aria-label={label} title={label}>
      {/* Drawn inline: no icon font or emoji font to load offline. */}
      <svg className="notification-bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
        <path
          d="M12 3a6 6 0 0 0-6 6v3.5L4.5 16h15L18 12.5V9a6 6 0 0 0-6-6zm-2 15a2 2 0 0 0 4 0"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          strokeLinejoin="round"
        />
      </svg>
      {unread > 0 ? (
        <span className="notification-bell-count" data-testid="notification-count">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </NavLink>
  );
}
