/**
 * Server state of the Admin area and the Tenants page (TanStack Query): cache keys, the reads,
 * and the changes with what each one makes stale.
 */

import { mutationOptions, queryOptions } from "@tanstack/react-query";
import { listAuditLogs, type AuditEntry, type AuditFilter } from "../../api/audit";
import type { ApiClient } from "../../api/client";
import {
  createTenant,
  getTenant,
  listTenants,
  updateTenant,
  type Tenant,
  type TenantCreate,
  type TenantStatus,
  type TenantUpdate,
} from "../../api/tenants";
import type { Page } from "../../api/types";
import { getUsage } from "../../api/usage";
import {
  createUser,
  deactivateUser,
  listUsers,
  updateUser,
  type TenantUser,
  type UserCreate,
  type UserFilter,
  type UserUpdate,
} from "../../api/users";
import type { PageRequest } from "../../components/paged-list/usePagedList";
import { invalidates } from "../../lib/queryClient";

/** Cache keys. Everything under `admin` is the tenant's own; `platform` is the tenants of the platform. */
export const adminKeys = {
  all: ["admin"] as const,
  users: ["admin", "users"] as const,
  /** The first users, to name the actors of the audit log. */
  userNames: ["admin", "users", "names"] as const,
  usage: ["admin", "usage"] as const,
  audit: ["admin", "audit"] as const,
  tenants: ["platform", "tenants"] as const,
  tenant: (id: string) => ["platform", "tenants", "one", id] as const,
};

/**
 * A change in the tenant shows in its users, its quotas (users count against one) and its audit
 * log (every change is recorded), so every admin change makes all of them stale. Only what is
 * on screen is fetched again at once; the rest when next shown.
 */
const adminChanged = invalidates(adminKeys.all);

// Reads

export function fetchUsers(client: ApiClient) {
  return ({ filter, q, limit, offset, signal }: PageRequest<UserFilter>): Promise<Page<TenantUser>> =>
    listUsers(client, { ...filter, q, limit, offset }, signal);
}

export function fetchAuditLog(client: ApiClient) {
  return ({ filter, limit, offset, signal }: PageRequest<AuditFilter>): Promise<Page<AuditEntry>> =>
    listAuditLogs(client, filter, { limit, offset }, signal);
}

export function fetchTenants(client: ApiClient) {
  return ({ filter, limit, offset, signal }: PageRequest<{ status?: TenantStatus }>): Promise<Page<Tenant>> =>
    listTenants(client, { status: filter.status, limit, offset }, signal);
}

export const usageQuery = (client: ApiClient) =>
  queryOptions({ queryKey: adminKeys.usage, queryFn: ({ signal }) => getUsage(client, signal) });

/** Most organisations fit in one page of 200; actors beyond it show their id. */
export const userNamesQuery = (client: ApiClient) =>
  queryOptions({
    queryKey: adminKeys.userNames,
    queryFn: ({ signal }) => listUsers(client, { limit: 200 }, signal),
    select: (page) => new Map(page.items.map((user) => [user.id, user.email])),
  });

export const tenantQuery = (client: ApiClient, tenantId: string) =>
  queryOptions({ queryKey: adminKeys.tenant(tenantId), queryFn: ({ signal }) => getTenant(client, tenantId, signal) });

// Changes

export const createUserMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (body: UserCreate) => createUser(client, body),
    onSuccess: adminChanged,
  });

export const updateUserMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: ({ userId, body }: { userId: string; body: UserUpdate }) => updateUser(client, userId, body),
    onSuccess: adminChanged,
  });

export const deactivateUserMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (user: TenantUser) => deactivateUser(client, user.id),
    onSuccess: adminChanged,
  });

export const createTenantMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (body: TenantCreate) => createTenant(client, body),
    onSuccess: invalidates(adminKeys.tenants),
  });

/**
 * Plan, status or quotas of one tenant: its detail takes the answer, the tenant lists load again,
 * and so does the usage page (the tenant may be the admin's own).
 */
export const updateTenantMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: ({ tenantId, body }: { tenantId: string; body: TenantUpdate }) => updateTenant(client, tenantId, body),
    onSuccess: (tenant, { tenantId }, _result, context) => {
      context.client.setQueryData(adminKeys.tenant(tenantId), tenant);
      return Promise.all([
        context.client.invalidateQueries({
          queryKey: adminKeys.tenants,
          predicate: (query) => query.queryKey[2] !== "one",
        }),
        context.client.invalidateQueries({ queryKey: adminKeys.usage }),
      ]);
    },
  });
