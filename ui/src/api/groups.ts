/**
 * User groups of the tenant, and the people directory. Approval stages assign a group by its
 * name; tenant admins create, change and delete groups; everyone signed in may list groups and
 * search the tenant's active people (to pick a group member or a delegate).
 */

import type { ApiClient } from "./client";
import type { Page, Schemas } from "./types";

/** A person of the tenant as others may see them (id, name, e-mail, role). */
export type Person = Schemas["PersonPublic"];

/** A group with its members. */
export type UserGroup = Schemas["GroupPublic"];

/** The body of a new group and of a changed one (PUT replaces name, description and members). */
export type GroupWrite = Schemas["GroupWrite"];

const groupPath = (id: string) => `/api/v1/groups/${encodeURIComponent(id)}`;

export function listGroups(
  client: ApiClient,
  params: { limit?: number; offset?: number } = {},
  signal?: AbortSignal,
): Promise<Page<UserGroup>> {
  return client.request<Page<UserGroup>>("/api/v1/groups", { query: { ...params }, signal });
}

export function createGroup(client: ApiClient, body: GroupWrite): Promise<UserGroup> {
  return client.request<UserGroup>("/api/v1/groups", { json: body });
}

export function updateGroup(client: ApiClient, groupId: string, body: GroupWrite): Promise<UserGroup> {
  return client.request<UserGroup>(groupPath(groupId), { method: "PUT", json: body });
}

export async function deleteGroup(client: ApiClient, groupId: string): Promise<void> {
  await client.request<void>(groupPath(groupId), { method: "DELETE" });
}

/** Active people of the tenant whose name or e-mail contains `q`. */
export function listPeople(
  client: ApiClient,
  params: { q?: string; limit?: number; offset?: number } = {},
  signal?: AbortSignal,
): Promise<Page<Person>> {
  return client.request<Page<Person>>("/api/v1/people", { query: { ...params }, signal });
}
