/** Hash routes (the API serves the UI as static files, so no server-side fallback is needed). */

export type Route =
  { name: "home" } | { name: "chat"; chatId: string } | { name: "draft"; key: string } | { name: "node-types" };

/** Parse `location.hash` into a route; anything unknown is home. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/^\/+/, "");
  const [head, arg] = path.split("/").map((part) => decodeURIComponent(part));
  if (head === "chat" && arg) return { name: "chat", chatId: arg };
  if (head === "draft" && arg) return { name: "draft", key: arg };
  if (head === "node-types") return { name: "node-types" };
  return { name: "home" };
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
