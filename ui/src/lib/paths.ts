/**
 * The UI's URLs, typed: `routeHref` builds a path for `<Link to>`, `useGo` navigates in code.
 * The routes themselves (which page a path shows) are declared once, in `app/router.tsx`.
 */

import { useCallback } from "react";
import { useNavigate } from "react-router";

/** The Admin area's pages. */
export const ADMIN_TABS = ["users", "groups", "usage", "audit", "categories", "sign-in"] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

/** A place in the UI. */
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

/** Whether `value` names an admin tab (anything else shows the first tab). */
export function isAdminTab(value: string | undefined): value is AdminTab {
  return (ADMIN_TABS as readonly string[]).includes(value ?? "");
}

const seg = encodeURIComponent;

/** The path of a route. */
export function routeHref(route: Route): string {
  switch (route.name) {
    case "home":
      return "/";
    case "chat":
      return `/chat/${seg(route.chatId)}`;
    case "draft":
      return `/draft/${seg(route.key)}`;
    case "node-types":
      return "/node-types";
    case "store":
      return "/store";
    case "agent":
      return `/store/${seg(route.agentId)}`;
    case "reviews":
      return "/reviews";
    case "task":
      return `/reviews/${seg(route.taskId)}`;
    case "account":
      return "/account";
    case "admin":
      return `/admin/${route.tab}`;
    case "tools":
      return "/tools";
    case "tenants":
      return "/tenants";
  }
}

/** Navigate from code (after an action); `replace` keeps the current entry out of the history. */
export function useGo(): (route: Route, options?: { replace?: boolean }) => void {
  const navigate = useNavigate();
  return useCallback(
    (route: Route, options: { replace?: boolean } = {}) => void navigate(routeHref(route), options),
    [navigate],
  );
}
