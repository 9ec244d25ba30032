/**
 * Notifications render from kind + data in the reader's language (zh-CN and en have the same
 * keys), fall back to a generic sentence for an unknown kind, and never put objects into text.
 */

import i18next from "i18next";
import { afterEach, describe, expect, it } from "vitest";
import en from "../src/locales/en/notifications.json";
import zh from "../src/locales/zh-CN/notifications.json";
import { NOTIFICATION_KINDS, type Notification } from "../src/features/notifications/api";
import { notificationText } from "../src/features/notifications/notificationText";

const note = (kind: string, data: Record<string, unknown>): Notification => ({
  id: "n-1",
  kind,
  data,
  link: null,
  created_at: "2030-01-01T00:00:00Z",
  read_at: null,
});

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

const t = () => i18next.getFixedT(null, "notifications");

afterEach(async () => {
  await i18next.changeLanguage("en");
});

describe("notification texts", () => {
  it("zh-CN and en have the same keys, and every kind has a title and a body", () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort());
    for (const kind of NOTIFICATION_KINDS) {
      expect(keys(en)).toContain(`kinds.${kind}.title`);
      expect(keys(en)).toContain(`kinds.${kind}.body`);
    }
  });

  it("renders a rejection with its reason in English and in Chinese", async () => {
    const rejected = note("submission_rejected", { agent_name: "Helpdesk", version: "2.0.0", reason: "too vague" });
    expect(notificationText(t(), rejected)).toEqual({
      title: "Version rejected",
      body: "Version 2.0.0 of Helpdesk was rejected: too vague",
    });
    await i18next.changeLanguage("zh-CN");
    expect(notificationText(t(), rejected)).toEqual({
      title: "版本未通过审核",
      body: "Helpdesk 的版本 2.0.0 未通过审核：too vague",
    });
  });

  it("falls back for an unknown kind and leaves objects out of the sentence", () => {
    expect(notificationText(t(), note("budget_exhausted", {}))).toEqual({
      title: "Notification",
      body: "You have a new notification.",
    });
    const odd = notificationText(t(), note("run_failed", { agent_name: { toString: () => "<b>x</b>" } }));
    expect(odd.body).not.toContain("<b>");
    expect(odd.body).not.toContain("{{");
  });
});
