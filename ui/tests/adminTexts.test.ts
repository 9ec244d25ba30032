/**
 * The admin, tools and account pages look some texts up by a value from the API (a status, a
 * plan, a scope); the missing-key test cannot see those, so this one checks each value has a
 * text in zh-CN and en.
 */

import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { API_KEY_SCOPES } from "../src/api/apiKeys";
import { TENANT_PLANS, TENANT_STATUSES } from "../src/api/tenants";
import { TOOL_STATUSES } from "../src/api/tools";
import { USER_ROLES } from "../src/api/users";
import { AUDIT_ACTOR_TYPES, AUDIT_OUTCOMES } from "../src/features/admin/auditFilter";
import { QUOTA_FIELDS } from "../src/features/admin/tenantForm";
import { LANGUAGES } from "../src/lib/i18n";
import { ADMIN_TABS } from "../src/lib/paths";

const LOOKED_UP: Record<string, readonly string[]> = {
  "admin:tabs": ADMIN_TABS,
  "admin:users.status": ["active", "suspended"],
  "admin:tenants.status": TENANT_STATUSES,
  "admin:tenants.plan": TENANT_PLANS,
  "admin:tenants.quotaFields": QUOTA_FIELDS.map((field) => field.key),
  "admin:audit.outcome": AUDIT_OUTCOMES,
  "admin:audit.actor": AUDIT_ACTOR_TYPES,
  "admin:password": ["tooShort", "tooLong", "oneKind"],
  "account:password.rules": ["tooShort", "tooLong", "oneKind"],
  "account:keys.state": ["active", "revoked", "expired"],
  "account:scopes": API_KEY_SCOPES.map(({ scope }) => scope.replace(":", ".")),
  "tools:status": [...TOOL_STATUSES, "error"],
  "common:roles": USER_ROLES,
};

describe("texts looked up by value", () => {
  it("exist in every language", () => {
    const missing: string[] = [];
    for (const language of LANGUAGES) {
      for (const [prefix, values] of Object.entries(LOOKED_UP)) {
        for (const value of values) {
          const [namespace = "", path = ""] = prefix.split(":");
          // Straight from the catalog: a lookup would fall back to the other language.
          const text: unknown = i18next.getResource(language, namespace, `${path}.${value}`);
          if (typeof text !== "string" || !text.trim()) missing.push(`${language} ${prefix}.${value}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
