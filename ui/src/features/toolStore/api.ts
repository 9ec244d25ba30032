/**
 * The tool store's server calls and their TanStack Query keys: search the catalogue, install an
 * entry (register + discover + grant), uninstall it (optionally forced past agents using it).
 */

import { mutationOptions } from "@tanstack/react-query";
import type { ApiClient } from "../../api/client";
import type { Page, Schemas } from "../../api/types";
import type { PageRequest } from "../../components/paged-list/usePagedList";
import { invalidates } from "../../lib/queryClient";

export type StoreEntry = Schemas["StoreEntryPublic"];
export type Installation = Schemas["InstallationPublic"];
export type InstallRequest = Schemas["InstallRequest"];
export type EntryParameter = Schemas["CatalogParameter"];
export type EntryCredential = Schemas["CatalogCredential"];
export type Localized = Schemas["Localized"];
export type TenantRole = NonNullable<InstallRequest["granted_roles"]>[number];

/** Roles an admin may grant an installed server's tools to, and the default (the roles that build agents). */
export const TENANT_ROLES: readonly TenantRole[] = ["admin", "developer", "reviewer", "user", "viewer"];
export const DEFAULT_GRANTED_ROLES: readonly TenantRole[] = ["admin", "developer"];

/** The store's filter (the search box is separate). */
export interface StoreFilter {
  tag?: string;
  installed?: boolean;
}

export const toolStoreKeys = {
  all: ["tool-store"] as const,
  entries: ["tool-store", "entries"] as const,
  tags: ["tool-store", "tags"] as const,
};

const entryPath = (id: string) => `/api/v1/tool-store/entries/${encodeURIComponent(id)}`;

export function fetchEntries(client: ApiClient) {
  return ({ filter, q, limit, offset, signal }: PageRequest<StoreFilter>): Promise<Page<StoreEntry>> =>
    client.request<Page<StoreEntry>>("/api/v1/tool-store/entries", {
      signal,
      query: {
        q,
        tag: filter.tag,
        installed: filter.installed === undefined ? undefined : String(filter.installed),
        limit,
        offset,
      },
    });
}

export function listStoreTags(client: ApiClient, signal?: AbortSignal): Promise<string[]> {
  return client.request<string[]>("/api/v1/tool-store/tags", { signal });
}

export function installEntry(client: ApiClient, id: string, body: InstallRequest): Promise<StoreEntry> {
  return client.request<StoreEntry>(`${entryPath(id)}/install`, { json: body });
}

export async function uninstallEntry(client: ApiClient, id: string, force: boolean): Promise<void> {
  await client.request<void>(`${entryPath(id)}/install`, {
    method: "DELETE",
    query: { force: force ? "true" : undefined },
  });
}

/** Installing or uninstalling changes the store and the tenant's servers and tools (other pages). */
export const installMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: ({ id, body }: { id: string; body: InstallRequest }) => installEntry(client, id, body),
    onSuccess: invalidates(),
  });

export const uninstallMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: ({ id, force }: { id: string; force: boolean }) => uninstallEntry(client, id, force),
    onSuccess: invalidates(),
  });
