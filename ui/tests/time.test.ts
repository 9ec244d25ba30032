import { describe, expect, it } from "vitest";
import { formatMessageTime, formatRelativeTime } from "../src/text/time";

const NOW = Date.parse("2030-06-15T12:00:00Z");

describe("formatRelativeTime", () => {
  it("says now, minutes, hours and days", () => {
    expect(formatRelativeTime("2030-06-15T11:59:50Z", NOW, "en")).toBe("now");
    expect(formatRelativeTime("2030-06-15T11:55:00Z", NOW, "en")).toBe("5 minutes ago");
    expect(formatRelativeTime("2030-06-15T09:00:00Z", NOW, "en")).toBe("3 hours ago");
    expect(formatRelativeTime("2030-06-13T12:00:00Z", NOW, "en")).toBe("2 days ago");
  });

  it("gives a date for older times and nothing for junk", () => {
    expect(formatRelativeTime("2029-01-02T12:00:00Z", NOW, "en")).toContain("2029");
    expect(formatRelativeTime("not a date", NOW, "en")).toBe("");
  });
});

describe("formatMessageTime", () => {
  it("shows only the clock for today and adds the date otherwise", () => {
    const today = new Date(NOW);
    today.setHours(9, 5, 0, 0);
    expect(formatMessageTime(today.toISOString(), NOW, "en-GB")).toBe("09:05");
    expect(formatMessageTime("2030-03-03T09:05:00Z", NOW, "en-GB")).toMatch(/3 Mar/);
  });
});
