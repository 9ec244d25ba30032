/** Tenant admins: the tenant's users (list/search, create, change role/status/name, deactivate). */

import type { ApiClient } from "./client";
import type { Page, Schemas } from "./types";

export type UserRole = NonNullable<Schemas["UserCreate"]["role"]>;
export type UserStatus = NonNullable<Schemas["UserUpdate"]["status"]>;
/** The roles the forms offer, in their order (checked against the server's enum). */
export const USER_ROLES = ["admin", "developer", "reviewer", "user", "viewer"] as const satisfies readonly UserRole[];

export type TenantUser = Schemas["UserPublic"];

/**
 * The filters the UI sends. Hand-written: the generated query type allows `null`, which the
 * client's query string does not take.
 */
export interface UserFilter {
  q?: string;
  role?: UserRole;
  status?: UserStatus;
  limit?: number;
  offset?: number;
}

/** A new user with an initial password (the server defaults `role` to user). */
export type UserCreate = Schemas["UserCreate"];

export type UserUpdate = Schemas["UserUpdate"];

const userPath = (id: string) => `/api/v1/users/${encodeURIComponent(id)}`;

export function listUsers(client: ApiClient, filter: UserFilter = {}, signal?: AbortSignal): Promise<Page<TenantUser>> {
  return client.request<Page<TenantUser>>("/api/v1/users", { query: { ...filter }, signal });
}

/** Create a user with an initial password (the password policy applies; 429 when the user quota is used up). */
export function createUser(client: ApiClient, body: UserCreate): Promise<TenantUser> {
  return client.request<TenantUser>("/api/v1/users", { json: body });
}

/** Change role, status or name; a role or status change ends the user's sessions. */
export function updateUser(client: ApiClient, userId: string, body: UserUpdate): Promise<TenantUser> {
  return client.request<TenantUser>(userPath(userId), { method: "PATCH", json: body });
}

/** Deactivate a user (the API keeps the history; status becomes `suspended`). */
export async function deactivateUser(client: ApiClient, userId: string): Promise<void> {
  await client.request<void>(userPath(userId), { method: "DELETE" });
}
