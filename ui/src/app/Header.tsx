/**
 * App header: brand, navigation (by role: inbox, studio, tools, knowledge, models, admin, tenants),
 * language, the account and logout. On narrow screens the navigation and the account fold into a
 * menu opened by one button, so the header never makes the page wider than the phone.
 */

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, useLocation, useMatch } from "react-router";
import type { Me } from "../api/types";
import { routeHref } from "../lib/paths";
import { NotificationBell } from "../features/notifications/NotificationBell";
import { canDevelop, hasInbox, isAdmin, isPlatformAdmin } from "../session/roles";
import { useServices } from "./context";
import { LanguageSwitch } from "./LanguageSwitch";

interface Props {
  me: Me;
  sidebarOpen: boolean;
  onToggleSidebar: () => void;
}

export function Header({ me, sidebarOpen, onToggleSidebar }: Props) {
  const { t } = useTranslation();
  const { session } = useServices();
  const { pathname } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  // The chat section is home and every chat; NavLink alone would only match "/".
  // Every hook on every render: `||` would skip the later useMatch calls on "/" (React error #310).
  const home = useMatch("/");
  const chat = useMatch("/chat/*");
  const draft = useMatch("/draft/*");
  const inChat = Boolean(home || chat || draft);

  // Following a link closes the menu: the page underneath is what the person asked for.
  useEffect(() => setMenuOpen(false), [pathname]);

  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || !menuOpen) return;
    setMenuOpen(false);
    menuButton.current?.focus();
  };

  return (
    <header className="header" onKeyDown={closeOnEscape}>
      <button
        type="button"
        className="button button--ghost header-menu"
        aria-expanded={sidebarOpen}
        aria-controls="sidebar"
        onClick={onToggleSidebar}
      >
        {t("nav.chats")}
      </button>
      <Link className="brand" to={routeHref({ name: "home" })}>
        AgentPaaS
      </Link>
      <NotificationBell />
      <button
        ref={menuButton}
        type="button"
        className="button button--ghost header-more"
        aria-expanded={menuOpen}
        aria-controls={panelId}
        onClick={() => setMenuOpen((open) => !open)}
      >
        <span className="header-more-icon" aria-hidden="true" />
        {t("nav.menu")}
      </button>
      <div
        id={panelId}
        className={`header-panel${menuOpen ? " header-panel--open" : ""}`}
        // A link in the menu closes it, also the link to the page already shown.
        onClick={(event) => {
          if ((event.target as HTMLElement).closest("a")) setMenuOpen(false);
        }}
      >
        <nav className="header-nav" aria-label={t("nav.main")}>
          <Link to={routeHref({ name: "home" })} aria-current={inChat ? "page" : undefined}>
            {t("nav.chat")}
          </Link>
          <NavLink to={routeHref({ name: "store" })}>{t("nav.store")}</NavLink>
          {hasInbox(me.role) ? <NavLink to={routeHref({ name: "reviews" })}>{t("nav.inbox")}</NavLink> : null}
          <NavLink to={routeHref({ name: "node-types" })}>{t("nav.nodeTypes")}</NavLink>
          {canDevelop(me.role) ? <NavLink to="/studio">{t("studio:title")}</NavLink> : null}
          {canDevelop(me.role) ? (
            <NavLink to={routeHref({ name: "tools" })} end>
              {t("nav.tools")}
            </NavLink>
          ) : null}
          {canDevelop(me.role) ? <NavLink to="/tools/store">{t("toolStore:nav")}</NavLink> : null}
          {canDevelop(me.role) ? <NavLink to="/knowledge">{t("nav.knowledge")}</NavLink> : null}
          {isAdmin(me.role) ? <NavLink to="/providers">{t("nav.providers")}</NavLink> : null}
          {isAdmin(me.role) ? <NavLink to="/admin">{t("nav.admin")}</NavLink> : null}
          {isAdmin(me.role) ? <NavLink to="/webhooks">{t("notifications:webhooks.nav")}</NavLink> : null}
          {isPlatformAdmin(me) ? <NavLink to={routeHref({ name: "tenants" })}>{t("nav.tenants")}</NavLink> : null}
        </nav>
        <div className="header-account">
          <LanguageSwitch />
          <NavLink
            className="account-email"
            to={routeHref({ name: "account" })}
            title={t("account.linkTitle", { name: me.display_name ?? me.email })}
          >
            {me.email}
          </NavLink>
          <span className="badge" title={t("account.role")}>
            {t(`roles.${me.role}`, { defaultValue: me.role })}
          </span>
          <span className="account-tenant" title={t("account.tenant", { name: me.tenant_name })}>
            {me.tenant_display_name || me.tenant_name}
          </span>
          <button type="button" className="button button--small" onClick={() => void session.logout()}>
            {t("account.logout")}
          </button>
        </div>
      </div>
    </header>
  );
}
