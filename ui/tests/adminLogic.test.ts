import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { passwordFormErrors } from "../src/features/account/password";
import {
  EMPTY_AUDIT_FORM,
  auditFilterFromForm,
  auditFormErrors,
  localTimeToIso,
} from "../src/features/admin/auditFilter";
import { KNOWN_QUOTAS, quotaBar } from "../src/features/admin/quota";
import { EMPTY_QUOTA_FORM, parseQuotaForm, quotaFormFrom } from "../src/features/admin/tenantForm";
import { pagerState } from "../src/components/Pager";
import { parseRetryAfter, problemFromBody, retryAfterFromHeaders } from "../src/api/problem";
import { canDevelop, canGrantTools, isAdmin, isPlatformAdmin } from "../src/session/roles";
import { formatWait, retryClock } from "../src/text/retry";
import { passwordProblem } from "../src/lib/password";

const en = i18next.getFixedT("en");
const zh = i18next.getFixedT("zh-CN");

describe("quota bars", () => {
  it("counts reserved tokens as used and warns from 80%", () => {
    expect(
      quotaBar({ name: "tokens_per_month", limit: 1000, used: 700, reserved: 100, remaining: 200 }, en, "en"),
    ).toMatchObject({ label: "LLM tokens this month", used: 800, percent: 80, level: "warn" });
    expect(quotaBar({ name: "users", limit: 10, used: 3, remaining: 7 }, en, "en")).toMatchObject({
      percent: 30,
      level: "ok",
      text: "3 of 10 (30%)",
    });
  });

  it("is full at the limit, never over 100%, and says unlimited without a limit", () => {
    expect(quotaBar({ name: "agents", limit: 5, used: 7, remaining: 0 }, en, "en")).toMatchObject({
      percent: 100,
      level: "full",
    });
    expect(quotaBar({ name: "agents", limit: 0, used: 0, remaining: 0 }, en, "en")).toMatchObject({ level: "full" });
    expect(quotaBar({ name: "sessions_per_day", limit: null, used: 12, remaining: null }, en, "en")).toMatchObject({
      level: "unlimited",
      text: "12 (unlimited)",
    });
    expect(quotaBar({ name: "new_thing", limit: 4, used: 1, remaining: 3 }, en, "en").label).toBe("new thing");
  });

  it("speaks Chinese with the locale's grouping", () => {
    expect(
      quotaBar({ name: "tokens_per_month", limit: 2_000_000, used: 1_500_000, remaining: 1 }, zh, "zh-CN"),
    ).toMatchObject({
      label: "本月 LLM 令牌数",
      text: "已用 1,500,000 / 2,000,000（75%）",
    });
  });

  it("has a label for every quota the server reports, in both languages", () => {
    for (const name of KNOWN_QUOTAS) {
      for (const t of [en, zh])
        expect(quotaBar({ name, limit: 1, used: 0, remaining: 1 }, t, "en").label).not.toContain("_");
    }
  });
});

describe("paging", () => {
  it("says where the page is and where the buttons go", () => {
    expect(pagerState({ total: 230, limit: 50, offset: 50, count: 50 })).toEqual({
      first: 51,
      last: 100,
      hasPrevious: true,
      hasNext: true,
      previousOffset: 0,
      nextOffset: 100,
    });
    expect(pagerState({ total: 230, limit: 50, offset: 200, count: 30 })).toMatchObject({ hasNext: false });
    expect(pagerState({ total: 0, limit: 50, offset: 0, count: 0 })).toMatchObject({ first: 0, hasNext: false });
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
      auditFormErrors(
        { ...EMPTY_AUDIT_FORM, actor_id: "bob", since: "2030-03-02T00:00", until: "2030-03-01T00:00" },
        en,
      ),
    ).toEqual({
      actor_id: "An actor id is a UUID (a user's or an API key's id).",
      until: "“Until” must be after “Since”.",
    });
    expect(auditFormErrors({ ...EMPTY_AUDIT_FORM, actor_id: "bob" }, zh).actor_id).toMatch(/UUID/);
    expect(auditFormErrors({ ...EMPTY_AUDIT_FORM, actor_id: "0b6b2a3c-1d2e-4f50-8a9b-0c1d2e3f4a5b" }, en)).toEqual({});
  });
});

describe("tenant quota form", () => {
  it("leaves blank limits out and reads digits with separators", () => {
    expect(parseQuotaForm({ ...EMPTY_QUOTA_FORM, max_users: "25", max_tokens_per_month: "1,000,000" }, en)).toEqual({
      ok: true,
      limits: { max_users: 25, max_tokens_per_month: 1_000_000 },
    });
  });

  it("refuses what the API would: negatives, fractions, zero users", () => {
    const parsed = parseQuotaForm(
      { ...EMPTY_QUOTA_FORM, max_users: "0", max_agents: "-1", max_sessions_per_day: "1.5" },
      en,
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(Object.keys(parsed.errors).sort()).toEqual(["max_agents", "max_sessions_per_day", "max_users"]);
      expect(parsed.errors.max_users).toBe("A whole number, 1 or more.");
    }
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
    expect(passwordProblem("short1A")).toBe("tooShort");
    expect(passwordProblem("alllowercaseletters")).toBe("oneKind");
    expect(passwordProblem("密".repeat(25))).toBe("tooLong");
    expect(passwordProblem("correct horse battery")).toBeNull();
  });

  it("says the rule broken, with its numbers", () => {
    expect(passwordFormErrors({ current: "x", next: "short1A", confirm: "short1A" }, en).next).toBe(
      "Use at least 10 characters.",
    );
    expect(passwordFormErrors({ current: "x", next: "密".repeat(25), confirm: "密".repeat(25) }, en).next).toMatch(
      /72 bytes/,
    );
    expect(passwordFormErrors({ current: "x", next: "short1A", confirm: "short1A" }, zh).next).toBe(
      "至少需要 10 个字符。",
    );
  });

  it("needs the current password, a different new one, and the same twice", () => {
    expect(passwordFormErrors({ current: "", next: "New-pass-456", confirm: "New-pass-457" }, en)).toEqual({
      current: "Enter your current password.",
      confirm: "The passwords do not match.",
    });
    expect(passwordFormErrors({ current: "Same-pass-1", next: "Same-pass-1", confirm: "Same-pass-1" }, en)).toEqual({
      next: "The new password must differ from the current one.",
    });
    expect(passwordFormErrors({ current: "Old-pass-123", next: "New-pass-456", confirm: "New-pass-456" }, en)).toEqual(
      {},
    );
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

  it("says how long to wait, in the locale's words", () => {
    expect(formatWait(45, "en")).toBe("45 sec");
    expect(formatWait(150, "en")).toBe("2 min 30 sec");
    expect(formatWait(3600, "en")).toBe("1 hr");
    expect(formatWait(3 * 3600 + 300, "en")).toBe("3 hr 5 min");
    expect(formatWait(5 * 86_400, "en")).toBe("5 days");
    expect(formatWait(150, "zh-CN")).toBe("2分钟30秒");
    expect(formatWait(3 * 3600 + 300, "zh-CN")).toBe("3小时5分钟");
  });

  it("gives the clock time a wait ends, with the date when it is another day", () => {
    const noon = new Date(2030, 5, 15, 12, 0, 0).getTime();
    expect(retryClock(90, noon + 90_000, "en-GB")).toBe("12:01:30");
    expect(retryClock(2 * 86_400, noon + 2 * 86_400_000, "en-GB")).toMatch(/^17 Jun,? 12:00$/);
  });
});
