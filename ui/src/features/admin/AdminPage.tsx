/** The Admin area (tenant admins): users, usage and quotas, the audit log — one tab each. */

import { Link } from "react-router";
import type { Me } from "../../api/types";
import { routeHref, type AdminTab } from "../../lib/paths";
import { AuditLogPanel } from "./AuditLogPanel";
import { UsagePanel } from "./UsagePanel";
import { UsersPanel } from "./UsersPanel";

const TABS: { tab: AdminTab; label: string }[] = [
  { tab: "users", label: "Users" },
  { tab: "usage", label: "Usage & quotas" },
  { tab: "audit", label: "Audit log" },
];

export function AdminPage({ me, tab }: { me: Me; tab: AdminTab }) {
  return (
    <section className="page page--wide admin" aria-labelledby="admin-title">
      <h1 id="admin-title">Admin</h1>
      <p className="muted">
        Administer {me.tenant_display_name || me.tenant_name}: its users, what it uses of its quotas, and who did what.
      </p>
      <nav className="subnav" aria-label="Admin">
        {TABS.map((t) => (
          <Link
            key={t.tab}
            to={routeHref({ name: "admin", tab: t.tab })}
            aria-current={t.tab === tab ? "page" : undefined}
          >
            {t.label}
          </Link>
        ))}
      </nav>
      {tab === "users" ? <UsersPanel me={me} /> : null}
      {tab === "usage" ? <UsagePanel /> : null}
      {tab === "audit" ? <AuditLogPanel /> : null}
    </section>
  );
}
