import { describe, expect, it } from "vitest";
import { parseRoute, routeHref, routeSection, type Route } from "../src/routing/routes";

describe("routes", () => {
  it("round-trips every route", () => {
    const routes: Route[] = [
      { name: "home" },
      { name: "chat", chatId: "4f1c-9" },
      { name: "draft", key: "draft-abc-1" },
      { name: "node-types" },
      { name: "store" },
      { name: "agent", agentId: "a/1 b" },
      { name: "reviews" },
      { name: "task", taskId: "t-9" },
      { name: "account" },
      { name: "admin", tab: "users" },
      { name: "admin", tab: "usage" },
      { name: "admin", tab: "audit" },
      { name: "tools" },
      { name: "tenants" },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });

  it("sends unknown or empty hashes home", () => {
    expect(parseRoute("")).toEqual({ name: "home" });
    expect(parseRoute("#/nope")).toEqual({ name: "home" });
    expect(parseRoute("#/chat/")).toEqual({ name: "home" });
    expect(parseRoute("#/chat/%E0%A4%A")).toEqual({ name: "chat", chatId: "%E0%A4%A" }); // bad escape: kept as is
  });

  it("groups routes into header sections", () => {
    expect(routeSection({ name: "agent", agentId: "a" })).toBe("store");
    expect(routeSection({ name: "task", taskId: "t" })).toBe("reviews");
    expect(routeSection({ name: "draft", key: "d" })).toBe("chat");
    expect(routeSection({ name: "account" })).toBe("account");
    expect(routeSection({ name: "admin", tab: "audit" })).toBe("admin");
    expect(routeSection({ name: "tools" })).toBe("tools");
    expect(routeSection({ name: "tenants" })).toBe("tenants");
  });

  it("opens the Admin area on Users when the tab is missing or unknown", () => {
    expect(parseRoute("#/admin")).toEqual({ name: "admin", tab: "users" });
    expect(parseRoute("#/admin/nope")).toEqual({ name: "admin", tab: "users" });
    expect(routeHref({ name: "admin", tab: "usage" })).toBe("#/admin/usage");
  });
});
