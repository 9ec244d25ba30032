/** The Admin area (tenant admins): users, usage and quotas, the audit log, the store's categories — one tab each. */

import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Me } from "../../api/types";
import { ADMIN_TABS, routeHref, type AdminTab } from "../../lib/paths";
import { AuditLogPanel } from "./AuditLogPanel";
import { BudgetsPanel } from "./BudgetsPanel";
import { CategoriesPanel } from "./CategoriesPanel";
import { GroupsPanel } from "./GroupsPanel";
import { IdentityProviderPanel } from "./IdentityProviderPanel";
import { PersonalKeysPolicyPanel } from "./PersonalKeysPolicyPanel";
import { UsagePanel } from "./UsagePanel";
import { UsersPanel } from "./UsersPanel";

export function AdminPage({ me, tab }: { me: Me; tab: AdminTab }) {
  const { t } = useTranslation("admin");
  return (
    <section className="page page--wide admin" aria-labelledby="admin-title">
      <h1 id="admin-title">{t("title")}</h1>
      <p className="muted">{t("intro", { tenant: me.tenant_display_name || me.tenant_name })}</p>
      <nav className="subnav" aria-label={t("tabsLabel")}>
        {ADMIN_TABS.map((name) => (
          <Link
            key={name}
            to={routeHref({ name: "admin", tab: name })}
            aria-current={name === tab ? "page" : undefined}
          >
            {t(`tabs.${name}`)}
          </Link>
        ))}
      </nav>
      {tab === "users" ? <UsersPanel me={me} /> : null}
      {tab === "groups" ? <GroupsPanel /> : null}
      {tab === "usage" ? <UsagePanel /> : null}
      {tab === "usage" ? <BudgetsPanel /> : null}
      {tab === "usage" ? <PersonalKeysPolicyPanel /> : null}
      {tab === "audit" ? <AuditLogPanel /> : null}
      {tab === "categories" ? <CategoriesPanel /> : null}
      {tab === "sign-in" ? <IdentityProviderPanel /> : null}
    </section>
  );
}
