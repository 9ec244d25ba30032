/** App header: brand, navigation (by role: inbox, tools, admin, tenants), the account and logout. */

import type { Me } from "../api/types";
import { useServices } from "./context";
import { routeHref, routeSection, type Route, type Section } from "../routing/routes";
import { canDevelop, canReview, isAdmin, isPlatformAdmin } from "../session/roles";

interface Props {
  me: Me;
  route: Route;
  sidebarOpen: boolean;
  onToggleSidebar: () => void;
}

export function Header({ me, route, sidebarOpen, onToggleSidebar }: Props) {
  const { session } = useServices();
  const section = routeSection(route);
  const current = (s: Section) => (section === s ? "page" : undefined);
  return (
    <header className="header">
      <button
        type="button"
        className="button button--ghost header-menu"
        aria-expanded={sidebarOpen}
        aria-controls="sidebar"
        onClick={onToggleSidebar}
      >
        Chats
      </button>
      <a className="brand" href={routeHref({ name: "home" })}>
        AgentPaaS
      </a>
      <nav className="header-nav" aria-label="Main">
        <a href={routeHref({ name: "home" })} aria-current={current("chat")}>
          Chat
        </a>
        <a href={routeHref({ name: "store" })} aria-current={current("store")}>
          Store
        </a>
        {canReview(me.role) ? (
          <a href={routeHref({ name: "reviews" })} aria-current={current("reviews")}>
            Inbox
          </a>
        ) : null}
        <a href={routeHref({ name: "node-types" })} aria-current={current("node-types")}>
          Node types
        </a>
        {canDevelop(me.role) ? (
          <a href={routeHref({ name: "tools" })} aria-current={current("tools")}>
            Tools
          </a>
        ) : null}
        {isAdmin(me.role) ? (
          <a href={routeHref({ name: "admin", tab: "users" })} aria-current={current("admin")}>
            Admin
          </a>
        ) : null}
        {isPlatformAdmin(me) ? (
          <a href={routeHref({ name: "tenants" })} aria-current={current("tenants")}>
            Tenants
          </a>
        ) : null}
      </nav>
      <div className="header-account">
        <a
          className="account-email"
          href={routeHref({ name: "account" })}
          aria-current={current("account")}
          title={`${me.display_name ?? me.email}: account and API keys`}
        >
          {me.email}
        </a>
        <span className="badge" title="Role">
          {me.role}
        </span>
        <span className="account-tenant" title={`Tenant ${me.tenant_name}`}>
          {me.tenant_display_name || me.tenant_name}
        </span>
        <button type="button" className="button button--small" onClick={() => void session.logout()}>
          Log out
        </button>
      </div>
    </header>
  );
}
