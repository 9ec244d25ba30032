/** What a role may see in the UI (the API enforces the same rules). */

import type { Me } from "../api/types";

/** The tenant name of the platform operators' tenant (the API's `platform_tenant` default). */
export const PLATFORM_TENANT = "platform";

/** Reviewers and admins work the inbox of human-intervention tasks. */
export function canReview(role: string): boolean {
  return role === "reviewer" || role === "admin";
}

/**
 * Everyone but viewers has an inbox: reviewers and admins see every task, anyone else the stages
 * of approval policies that name them (the API filters; viewers may not answer).
 */
export function hasInbox(role: string): boolean {
  return role !== "viewer";
}

/** Only admins cancel a task outright, and only they see the Admin area (users, usage, audit log). */
export function isAdmin(role: string): boolean {
  return role === "admin";
}

/** Developers (and admins, who hold every role) register MCP tool servers and manage tools. */
export function canDevelop(role: string): boolean {
  return role === "developer" || role === "admin";
}

/** Members who chat may grant agents their tools; viewers only read. */
export function canGrantTools(role: string): boolean {
  return role !== "viewer";
}

/** Platform admins manage tenants: the flag from `/api/auth/me`, else an admin of the platform tenant. */
export function isPlatformAdmin(me: Pick<Me, "role" | "tenant_name" | "platform_admin">): boolean {
  if (typeof me.platform_admin === "boolean") return me.platform_admin;
  return me.role === "admin" && me.tenant_name === PLATFORM_TENANT;
}
