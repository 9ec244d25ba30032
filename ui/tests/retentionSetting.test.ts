import { QueryClientProvider } from "@tanstack/react-query";
import i18next from "i18next";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Tenant } from "../src/api/tenants";
import { ServicesContext } from "../src/app/context";
import { adminKeys } from "../src/features/admin/queries";
import { retentionFormFrom, settingsWithRetention } from "../src/features/admin/retentionForm";
import { TenantRetentionEditor } from "../src/features/admin/TenantRetentionEditor";
import { scriptedFetch } from "./helpers/http";
import { signedInServices } from "./helpers/services";

const en = i18next.getFixedT("en");
const zh = i18next.getFixedT("zh-CN");

describe("audit retention setting", () => {
  it("shows the tenant's own retention, blank for the platform default", () => {
    expect(retentionFormFrom({ audit_retention_days: 365, theme: "dark" })).toBe("365");
    expect(retentionFormFrom({ theme: "dark" })).toBe("");
    expect(retentionFormFrom(null)).toBe("");
  });

  it("keeps every other setting (the API replaces the whole object)", () => {
    expect(settingsWithRetention({ theme: "dark" }, " 1,000 ", en)).toEqual({
      ok: true,
      settings: { theme: "dark", audit_retention_days: 1000 },
    });
    expect(settingsWithRetention({ theme: "dark", audit_retention_days: 90 }, "", en)).toEqual({
      ok: true,
      settings: { theme: "dark" },
    });
  });

  it("refuses what the API would, in both languages", () => {
    for (const text of ["6", "3651", "30.5", "-7", "soon"]) {
      expect(settingsWithRetention({}, text, en)).toEqual({
        ok: false,
        error: "A whole number of days from 7 to 3650, or blank.",
      });
    }
    expect(settingsWithRetention({}, "1", zh)).toEqual({
      ok: false,
      error: "请输入 7 至 3650 之间的整数天数，或留空。",
    });
  });
});

describe("the tenant's retention editor", () => {
  it("shows the tenant's retention with its range, labelled for screen readers", () => {
    const { services, queryClient } = signedInServices(scriptedFetch({}).fetch, "admin");
    queryClient.setQueryData(adminKeys.tenant("t1"), {
      id: "t1",
      settings: { audit_retention_days: 365 },
    } as unknown as Tenant);
    const html = renderToStaticMarkup(
      createElement(
        QueryClientProvider,
        { client: queryClient },
        createElement(
          ServicesContext.Provider,
          { value: services },
          createElement(TenantRetentionEditor, { tenantId: "t1" }),
        ),
      ),
    );
    expect(html).toContain('aria-label="Data retention"');
    expect(html).toMatch(/<label[^>]*>Audit log retention \(days\)/);
    expect(html).toContain('value="365"');
    expect(html).toContain("From 7 to 3650 days; leave blank for the platform default.");
  });
});
