/** Hash routes (the API serves the UI as static files, so no server-side fallback is needed). */

export type Route =
  | { name: "home" }
  | { name: "chat"; chatId: string }
  | { name: "draft"; key: string }
  | { name: "node-types" }
  | { name: "store" }
  | { name: "agent"; agentId: string }
  | { name: "reviews" }
  | { name: "task"; taskId: string }
  | { name: "account" }
  | { name: "admin"; tab: AdminTab }
  | { name: "tools" }
  | { name: "tenants" };

/** The Admin area's pages. */
export const ADMIN_TABS = ["users", "usage", "audit"] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

function adminTab(value: string | undefined): AdminTab {
  return (ADMIN_TABS as readonly string[]).includes(value ?? "") ? (value as AdminTab) : "users";
}

/** Parse `location.hash` into a route; anything unknown is home. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/^\/+/, "").split("?")[0] ?? "";
  const [head, arg] = path.split("/").map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  switch (head) {
    case "chat":
      return arg ? { name: "chat", chatId: arg } : { name: "home" };
    case "draft":
      return arg ? { name: "draft", key: arg } : { name: "home" };
    case "node-types":
      return { name: "node-types" };
    case "store":
      return arg ? { name: "agent", agentId: arg } : { name: "store" };
    case "reviews":
      return arg ? { name: "task", taskId: arg } : { name: "reviews" };
    case "account":
      return { name: "account" };
    case "admin":
      return { name: "admin", tab: adminTab(arg) };
    case "tools":
      return { name: "tools" };
    case "tenants":
      return { name: "tenants" };
    default:
      return { name: "home" };
  }
}

/** The `href` of a route. */
export function routeHref(route: Route): string {
  switch (route.name) {
    case "home":
      return "#/";
    case "chat":
      return `#/chat/${encodeURIComponent(route.chatId)}`;
    case "draft":
      return `#/draft/${encodeURIComponent(route.key)}`;
    case "node-types":
      return "#/node-types";
    case "store":
      return "#/store";
    case "agent":
      return `#/store/${encodeURIComponent(route.agentId)}`;
    case "reviews":
      return "#/reviews";
    case "task":
      return `#/reviews/${encodeURIComponent(route.taskId)}`;
    case "account":
      return "#/account";
    case "admin":
      return `#/admin/${route.tab}`;
    case "tools":
      return "#/tools";
    case "tenants":
      return "#/tenants";
  }
}

/** Which header section a route belongs to (for `aria-current`). */
export type Section = "chat" | "store" | "reviews" | "node-types" | "account" | "admin" | "tools" | "tenants";

export function routeSection(route: Route): Section {
  switch (route.name) {
    case "store":
    case "agent":
      return "store";
    case "reviews":
    case "task":
      return "reviews";
    case "node-types":
      return "node-types";
    case "account":
      return "account";
    case "admin":
      return "admin";
    case "tools":
      return "tools";
    case "tenants":
      return "tenants";
    default:
      return "chat";
  }
}

/** Go to a route; `replace` keeps the current entry out of the history (redirects). */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const href = routeHref(route);
  if (options.replace) {
    window.history.replaceState(null, "", href);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = href;
  }
}
