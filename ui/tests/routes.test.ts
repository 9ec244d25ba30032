import { matchRoutes } from "react-router";
import { describe, expect, it } from "vitest";
import { pageRoutes } from "../src/app/router";
import { routeHref, type Route } from "../src/lib/paths";

const ALL: Route[] = [
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

describe("paths", () => {
  it("gives every route a real path that a declared page route matches (not the catch-all)", () => {
    for (const route of ALL) {
      const href = routeHref(route);
      expect(href.startsWith("/")).toBe(true);
      const matches = matchRoutes(pageRoutes, href);
      expect(matches?.at(-1)?.route.path, href).not.toBe("*");
    }
  });

  it("keeps ids with slashes and spaces in one segment", () => {
    const matches = matchRoutes(pageRoutes, routeHref({ name: "agent", agentId: "a/1 b" }));
    expect(matches?.at(-1)?.params).toEqual({ agentId: "a/1 b" });
  });

  it("sends unknown paths to the catch-all", () => {
    expect(matchRoutes(pageRoutes, "/nope")?.at(-1)?.route.path).toBe("*");
    expect(routeHref({ name: "admin", tab: "usage" })).toBe("/admin/usage");
  });
});
