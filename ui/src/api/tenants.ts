/** Platform admins: every tenant, with plan, status and quota limits. */

import type { ApiClient } from "./client";
import type { Page, Schemas } from "./types";

export type TenantPlan = NonNullable<Schemas["TenantCreate"]["plan"]>;
export type TenantStatus = NonNullable<Schemas["TenantUpdate"]["status"]>;
/** The choices the forms offer, in their order (each checked against the server's enum). */
export const TENANT_PLANS = ["free", "pro", "enterprise"] as const satisfies readonly TenantPlan[];
export const TENANT_STATUSES = ["active", "suspended", "deleted"] as const satisfies readonly TenantStatus[];

/** Limits to set; an omitted field keeps its current (or default) value. */
export type QuotaLimits = Schemas["QuotaLimits"];

/** A tenant's limits and what it has used this day and month. */
export type TenantQuotas = Schemas["QuotaPublic"];

export type Tenant = Schemas["TenantPublic"];

/** A tenant with its quotas and first admin. */
export type TenantCreate = Schemas["TenantCreate"];

export type TenantUpdate = Schemas["TenantUpdate"];

const tenantPath = (id: string) => `/api/v1/platform/tenants/${encodeURIComponent(id)}`;

export function listTenants(
  client: ApiClient,
  params: { status?: TenantStatus; limit?: number; offset?: number } = {},
  signal?: AbortSignal,
): Promise<Page<Tenant>> {
  return client.request<Page<Tenant>>("/api/v1/platform/tenants", { query: { ...params }, signal });
}

/** One tenant with its quotas and usage. */
export function getTenant(client: ApiClient, tenantId: string, signal?: AbortSignal): Promise<Tenant> {
  return client.request<Tenant>(tenantPath(tenantId), { signal });
}

/** Create a tenant with its quotas and first admin, all or nothing. */
export function createTenant(client: ApiClient, body: TenantCreate): Promise<Tenant> {
  return client.request<Tenant>("/api/v1/platform/tenants", { json: body });
}

export function updateTenant(client: ApiClient, tenantId: string, body: TenantUpdate): Promise<Tenant> {
  return client.request<Tenant>(tenantPath(tenantId), { method: "PATCH", json: body });
}
