/** Tenant admins: the tenant's users (list/search, create, change role/status/name, deactivate). */

import type { ApiClient } from "./client";
import type { Page } from "./types";

export const USER_ROLES = ["admin", "developer", "reviewer", "user", "viewer"] as const;
export type UserRole = (typeof USER_ROLES)[number];
export type UserStatus = "active" | "suspended";

export interface TenantUser {
  id: string;
  email: string;
  display_name: string | null;
  role: string;
  status: string;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserFilter {
  q?: string;
  role?: UserRole;
  status?: UserStatus;
  limit?: number;
  offset?: number;
}

export interface UserCreate {
  email: string;
  display_name?: string | null;
  role: UserRole;
  password: string;
}

export interface UserUpdate {
  display_name?: string | null;
  role?: UserRole;
  status?: UserStatus;
}

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
