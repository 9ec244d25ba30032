import { describe, expect, it } from "vitest";
import { parseRoute, routeHref, type Route } from "../src/routing/routes";

describe("routes", () => {
  it("round-trips every route", () => {
    const routes: Route[] = [
      { name: "home" },
      { name: "chat", chatId: "4f1c-9" },
      { name: "draft", key: "draft-abc-1" },
      { name: "node-types" },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });

  it("sends unknown or empty hashes home", () => {
    expect(parseRoute("")).toEqual({ name: "home" });
    expect(parseRoute("#/nope")).toEqual({ name: "home" });
    expect(parseRoute("#/chat/")).toEqual({ name: "home" });
  });
});
