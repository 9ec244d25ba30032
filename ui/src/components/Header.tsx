/** App header: brand, navigation, the account and logout. */

import type { Me } from "../api/types";
import { useServices } from "../app/context";
import { routeHref, type Route } from "../routing/routes";

interface Props {
  me: Me;
  route: Route;
  sidebarOpen: boolean;
  onToggleSidebar: () => void;
}

export function Header({ me, route, sidebarOpen, onToggleSidebar }: Props) {
  const { session } = useServices();
  const onNodeTypes = route.name === "node-types";
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
        <a href={routeHref({ name: "home" })} aria-current={!onNodeTypes ? "page" : undefined}>
          Chat
        </a>
        <a href={routeHref({ name: "node-types" })} aria-current={onNodeTypes ? "page" : undefined}>
          Node types
        </a>
      </nav>
      <div className="header-account">
        <span className="account-email" title={me.display_name ?? me.email}>
          {me.email}
        </span>
        <span className="badge" title="Role">
          {me.role}
        </span>
        <span className="account-tenant" title={`Tenant ${me.tenant_name}`}>
          {me.tenant_display_name || me.tenant_name}
        </span>
        <button type="button" className="button button--small" onClick={() => session.logout()}>
          Log out
        </button>
      </div>
    </header>
  );
}
