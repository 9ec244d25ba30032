import { describe, expect, it } from "vitest";
import i18next from "i18next";
import { expiryFromDays, keyState } from "../src/features/account/expiry";
import { titleFromMessage } from "../src/api/chats";
import { filenameFromDisposition } from "../src/api/download";
import { newUuid } from "../src/api/ids";
import type { ReviewTask } from "../src/api/reviews";
import { compareTasks, describeEscalation, dueState, holder, priorityLabel } from "../src/features/inbox/taskView";
import { canReview, isAdmin } from "../src/session/roles";
import { formatAverage, formatCount, ratingValue, starString } from "../src/features/store/rating";

const NOW = Date.parse("2030-06-15T12:00:00Z");
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("newUuid", () => {
  it("uses randomUUID when there is one", () => {
    expect(newUuid({ getRandomValues: (a) => a, randomUUID: () => "1-2-3-4-5" })).toBe("1-2-3-4-5");
  });

  it("builds a version-4 UUID from random bytes where randomUUID is missing (plain http)", () => {
    const id = newUuid({ getRandomValues: (a) => crypto.getRandomValues(a) });
    expect(id).toMatch(UUID_V4);
    const zeros = newUuid({ getRandomValues: (a) => a });
    expect(zeros).toBe("00000000-0000-4000-8000-000000000000");
  });

  it("differs every time", () => {
    expect(new Set(Array.from({ length: 50 }, () => newUuid())).size).toBe(50);
  });
});

describe("filenameFromDisposition", () => {
  it("reads quoted, plain and RFC 5987 names", () => {
    expect(filenameFromDisposition('attachment; filename="chat-1.md"', "x")).toBe("chat-1.md");
    expect(filenameFromDisposition("attachment; filename=chat-1.json", "x")).toBe("chat-1.json");
    expect(
      filenameFromDisposition("attachment; filename*=UTF-8''%E8%81%8A%E5%A4%A9.md; filename=\"chat.md\"", "x"),
    ).toBe("聊天.md");
  });

  it("never yields a path or an empty name", () => {
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"', "x")).toBe("passwd");
    expect(filenameFromDisposition('attachment; filename=".."', "fallback.md")).toBe("fallback.md");
    expect(filenameFromDisposition(null, "fallback.md")).toBe("fallback.md");
    expect(filenameFromDisposition("inline", "fallback.md")).toBe("fallback.md");
  });
});

describe("titleFromMessage", () => {
  it("takes the first line, shortened to 80 characters", () => {
    expect(titleFromMessage("  Plan my trip\nto Kyoto")).toBe("Plan my trip");
    expect(titleFromMessage("   \n ")).toBeUndefined();
    const long = titleFromMessage("字".repeat(100))!;
    expect([...long]).toHaveLength(80);
    expect(long.endsWith("…")).toBe(true);
  });
});

const task = (patch: Partial<ReviewTask>): ReviewTask => ({
  task_id: "t",
  execution_id: "e",
  agent_id: null,
  node_name: "approve",
  instruction: "ok?",
  status: "pending",
  priority: 5,
  assigned_to: null,
  assigned_at: null,
  due_at: null,
  created_at: "2030-06-15T10:00:00Z",
  completed_at: null,
  ...patch,
});

describe("task helpers", () => {
  it("says whether an open task is overdue, due soon or later", () => {
    expect(dueState(task({ due_at: "2030-06-15T11:00:00Z" }), NOW)).toBe("overdue");
    expect(dueState(task({ due_at: "2030-06-15T14:00:00Z" }), NOW)).toBe("soon");
    expect(dueState(task({ due_at: "2030-06-16T14:00:00Z" }), NOW)).toBe("later");
    expect(dueState(task({}), NOW)).toBe("none");
    expect(dueState(task({ due_at: "2030-06-15T11:00:00Z", status: "completed" }), NOW)).toBe("none");
  });

  it("knows who holds a task and how urgent it is", () => {
    expect(holder(task({ assigned_to: "me" }), "me")).toBe("me");
    expect(holder(task({ assigned_to: "you" }), "me")).toBe("other");
    expect(holder(task({}), "me")).toBe("nobody");
    expect([1, 5, 8].map(priorityLabel)).toEqual(["low", "normal", "urgent"]);
  });

  it("orders by priority, then due time (none last), then age", () => {
    const tasks = [
      task({ task_id: "low", priority: 2 }),
      task({ task_id: "no-due", priority: 7 }),
      task({ task_id: "due-late", priority: 7, due_at: "2030-06-16T00:00:00Z" }),
      task({ task_id: "due-soon", priority: 7, due_at: "2030-06-15T13:00:00Z" }),
      task({ task_id: "urgent", priority: 9 }),
    ];
    expect([...tasks].sort(compareTasks).map((t) => t.task_id)).toEqual([
      "urgent",
      "due-soon",
      "due-late",
      "no-due",
      "low",
    ]);
  });

  it("describes an escalation", () => {
    const step = {
      at: "2030-06-15T10:00:00Z",
      from_priority: 5,
      to_priority: 8,
      from_assignee: null,
      to_assignee: "ops",
      reason: "deadline passed",
    };
    const en = i18next.getFixedT("en", "inbox");
    expect(describeEscalation(step, en, () => "T")).toBe("T: priority 5 → 8, reassigned to ops (deadline passed)");
    expect(describeEscalation({}, en, () => "T")).toBe("escalated");
    const zh = i18next.getFixedT("zh-CN", "inbox");
    expect(describeEscalation(step, zh, () => "T")).toBe("T：优先级 5 → 8，改派给 ops（deadline passed）");
  });
});

describe("roles", () => {
  it("lets reviewers and admins into the inbox, and only admins cancel", () => {
    expect(["admin", "reviewer", "developer", "user"].map(canReview)).toEqual([true, true, false, false]);
    expect(["admin", "reviewer"].map(isAdmin)).toEqual([true, false]);
  });
});

describe("ratings", () => {
  it("reads decimals sent as strings and formats them for the locale", () => {
    expect(ratingValue("4.50")).toBe(4.5);
    expect(ratingValue(null)).toBeNull();
    expect(ratingValue("0")).toBeNull();
    expect(formatAverage("4.25", "en")).toBe("4.3");
    expect(formatAverage(5, "zh-CN")).toBe("5.0");
    expect(formatAverage("4.25", "de")).toBe("4,3");
    expect(formatAverage(null, "en")).toBeNull();
    expect(starString(3.6)).toBe("★★★★☆");
  });

  it("counts compactly the local way", () => {
    expect(formatCount(950, "en")).toBe("950");
    expect(formatCount(1234, "en")).toBe("1.2K");
    expect(formatCount(12_345, "zh-CN")).toBe("1.2万");
  });
});
describe("API key expiry", () => {
  it("turns a preset into an ISO time, or nothing for never", () => {
    expect(expiryFromDays(30, NOW)).toBe("2030-07-15T12:00:00.000Z");
    expect(expiryFromDays(null, NOW)).toBeUndefined();
  });

  it("tells active, expired and revoked keys apart", () => {
    expect(keyState({ revoked_at: null, expires_at: null }, NOW)).toBe("active");
    expect(keyState({ revoked_at: null, expires_at: "2030-06-01T00:00:00Z" }, NOW)).toBe("expired");
    expect(keyState({ revoked_at: "2030-06-01T00:00:00Z", expires_at: null }, NOW)).toBe("revoked");
  });
});
