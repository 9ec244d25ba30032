import { describe, expect, it } from "vitest";
import { passwordFormErrors, passwordProblem } from "../src/features/account/password";
import {
  EMPTY_AUDIT_FORM,
  auditFilterFromForm,
  auditFormErrors,
  localTimeToIso,
} from "../src/features/admin/auditFilter";
import { pageInfo } from "../src/features/admin/paging";
import { quotaBar } from "../src/features/admin/quota";
import { EMPTY_QUOTA_FORM, parseQuotaForm, quotaFormFrom } from "../src/features/admin/tenantForm";
import { parseRetryAfter, problemFromBody, retryAfterFromHeaders } from "../src/api/problem";
import { canDevelop, canGrantTools, isAdmin, isPlatformAdmin } from "../src/session/roles";
import { formatWait, retrySentence } from "../src/text/retry";

describe("quota bars", () => {
  it("counts reserved tokens as used and warns from 80%", () => {
    expect(quotaBar({ name: "tokens_per_month", limit: 1000, used: 700, reserved: 100, remaining: 200 })).toMatchObject(
      { label: "LLM tokens this month", used: 800, percent: 80, level: "warn" },
    );
    expect(quotaBar({ name: "users", limit: 10, used: 3, remaining: 7 }, "en-US")).toMatchObject({
      percent: 30,
      level: "ok",
      text: "3 of 10 (30%)",
    });
  });

  it("is full at the limit, never over 100%, and says unlimited without a limit", () => {
    expect(quotaBar({ name: "agents", limit: 5, used: 7, remaining: 0 })).toMatchObject({
      percent: 100,
      level: "full",
    });
    expect(quotaBar({ name: "agents", limit: 0, used: 0, remaining: 0 })).toMatchObject({ level: "full" });
    expect(quotaBar({ name: "sessions_per_day", limit: null, used: 12, remaining: null }, "en-US")).toMatchObject({
      level: "unlimited",
      text: "12 (unlimited)",
    });
    expect(quotaBar({ name: "new_thing", limit: 4, used: 1, remaining: 3 }).label).toBe("new thing");
  });
});

describe("paging", () => {
  it("says where the page is and where the buttons go", () => {
    expect(pageInfo({ total: 230, limit: 50, offset: 50, count: 50 })).toEqual({
      text: "51–100 of 230",
      hasPrevious: true,
      hasNext: true,
      previousOffset: 0,
      nextOffset: 100,
    });
    expect(pageInfo({ total: 230, limit: 50, offset: 200, count: 30 })).toMatchObject({ hasNext: false });
    expect(pageInfo({ total: 0, limit: 50, offset: 0, count: 0 })).toMatchObject({ text: "No results" });
  });
});

describe("audit filter form", () => {
  it("drops blanks, trims and turns local times into ISO", () => {
    const since = "2030-03-01T09:30";
    expect(
      auditFilterFromForm({ ...EMPTY_AUDIT_FORM, action: "  POST /api/v1/chats ", outcome: "failed", since }),
    ).toEqual({ action: "POST /api/v1/chats", outcome: "failed", since: new Date(since).toISOString() });
    expect(auditFilterFromForm(EMPTY_AUDIT_FORM)).toEqual({});
    expect(localTimeToIso("not a time")).toBeUndefined();
  });

  it("flags an actor id that is not a UUID and a time range that ends before it starts", () => {
    expect(
      auditFormErrors({ ...EMPTY_AUDIT_FORM, actor_id: "bob", since: "2030-03-02T00:00", until: "2030-03-01T00:00" }),
    ).toEqual({ actor_id: expect.any(String), until: expect.any(String) });
    expect(auditFormErrors({ ...EMPTY_AUDIT_FORM, actor_id: "0b6b2a3c-1d2e-4f50-8a9b-0c1d2e3f4a5b" })).toEqual({});
  });
});

describe("tenant quota form", () => {
  it("leaves blank limits out and reads digits with separators", () => {
    expect(parseQuotaForm({ ...EMPTY_QUOTA_FORM, max_users: "25", max_tokens_per_month: "1,000,000" })).toEqual({
      ok: true,
      limits: { max_users: 25, max_tokens_per_month: 1_000_000 },
    });
  });

  it("refuses what the API would: negatives, fractions, zero users", () => {
    const parsed = parseQuotaForm({
      ...EMPTY_QUOTA_FORM,
      max_users: "0",
      max_agents: "-1",
      max_sessions_per_day: "1.5",
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(Object.keys(parsed.errors).sort()).toEqual(["max_agents", "max_sessions_per_day", "max_users"]);
  });

  it("fills the form from a tenant's quotas", () => {
    expect(
      quotaFormFrom({
        max_users: 5,
        max_agents: 10,
        max_sessions_per_day: 100,
        max_tokens_per_month: 2000,
        current_day_sessions: 1,
        current_month_tokens: 2,
      }),
    ).toEqual({ max_users: "5", max_agents: "10", max_sessions_per_day: "100", max_tokens_per_month: "2000" });
    expect(quotaFormFrom(null)).toEqual(EMPTY_QUOTA_FORM);
  });
});

describe("password checks", () => {
  it("mirrors the server's policy", () => {
    expect(passwordProblem("short1A")).toMatch(/at least 10/);
    expect(passwordProblem("alllowercaseletters")).toMatch(/two kinds/);
    expect(passwordProblem("密".repeat(25))).toMatch(/72 bytes/);
    expect(passwordProblem("correct horse battery")).toBeNull();
  });

  it("needs the current password, a different new one, and the same twice", () => {
    expect(passwordFormErrors({ current: "", next: "New-pass-456", confirm: "New-pass-457" })).toEqual({
      current: expect.any(String),
      confirm: "The passwords do not match.",
    });
    expect(passwordFormErrors({ current: "Same-pass-1", next: "Same-pass-1", confirm: "Same-pass-1" })).toEqual({
      next: "The new password must differ from the current one.",
    });
    expect(passwordFormErrors({ current: "Old-pass-123", next: "New-pass-456", confirm: "New-pass-456" })).toEqual({});
  });
});

describe("roles", () => {
  const me = { role: "admin", tenant_name: "acme" };

  it("shows each area to the roles that may use it", () => {
    expect(isAdmin("admin")).toBe(true);
    expect(isAdmin("developer")).toBe(false);
    expect(["admin", "developer", "reviewer", "user", "viewer"].filter(canDevelop)).toEqual(["admin", "developer"]);
    expect(canGrantTools("viewer")).toBe(false);
    expect(canGrantTools("user")).toBe(true);
  });

  it("trusts the server's platform_admin flag, else an admin of the platform tenant", () => {
    expect(isPlatformAdmin({ ...me, platform_admin: true })).toBe(true);
    expect(isPlatformAdmin({ ...me, tenant_name: "platform", platform_admin: false })).toBe(false);
    expect(isPlatformAdmin({ ...me, tenant_name: "platform" })).toBe(true);
    expect(isPlatformAdmin({ role: "developer", tenant_name: "platform" })).toBe(false);
    expect(isPlatformAdmin(me)).toBe(false);
  });
});

describe("Retry-After", () => {
  const NOW = Date.parse("2030-01-01T00:00:00Z");

  it("reads seconds or an HTTP date", () => {
    expect(parseRetryAfter("120", NOW)).toBe(120);
    expect(parseRetryAfter("Tue, 01 Jan 2030 00:01:30 GMT", NOW)).toBe(90);
    expect(parseRetryAfter("Mon, 31 Dec 2029 23:00:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter("soon", NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });

  it("falls back to the rate limit's reset", () => {
    expect(retryAfterFromHeaders(new Headers({ "RateLimit-Reset": "42" }), NOW)).toBe(42);
    expect(retryAfterFromHeaders(new Headers({ "Retry-After": "7", "RateLimit-Reset": "42" }), NOW)).toBe(7);
    expect(retryAfterFromHeaders(new Headers(), NOW)).toBeNull();
  });

  it("keeps the wait on the error, and none on other errors", () => {
    expect(problemFromBody(429, "Too Many Requests", { detail: "slow down" }, 30).retryAfterSeconds).toBe(30);
    expect(problemFromBody(404, "Not Found", { detail: "nope" }).retryAfterSeconds).toBeNull();
  });

  it("says how long to wait", () => {
    expect(formatWait(45)).toBe("45 s");
    expect(formatWait(150)).toBe("2 min 30 s");
    expect(formatWait(3600)).toBe("1 h");
    expect(formatWait(3 * 3600 + 300)).toBe("3 h 5 min");
    expect(formatWait(5 * 86_400)).toBe("5 days");
    expect(retrySentence(0, NOW)).toBe("You can try again now.");
    expect(retrySentence(90, NOW + 90_000, "en-GB")).toMatch(/^You can try again in 1 min 30 s \(at .+\)\.$/);
  });
});
