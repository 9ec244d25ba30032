/** Platform admins: every tenant, with plan, status and quota limits. */

import type { ApiClient } from "./client";
import type { Page } from "./types";

export const TENANT_PLANS = ["free", "pro", "enterprise"] as const;
export type TenantPlan = (typeof TENANT_PLANS)[number];
export const TENANT_STATUSES = ["active", "suspended", "deleted"] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** Limits to set; an omitted field keeps its current (or default) value. */
export interface QuotaLimits {
  max_users?: number;
  max_agents?: number;
  max_sessions_per_day?: number;
  max_tokens_per_month?: number;
}

export interface TenantQuotas {
  max_users: number;
  max_agents: number;
  max_sessions_per_day: number;
  max_tokens_per_month: number;
  current_month_tokens: number;
  current_day_sessions: number;
}

export interface Tenant {
  id: string;
  name: string;
  display_name: string;
  plan: string;
  status: string;
  settings: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  quotas?: TenantQuotas | null;
}

export interface TenantCreate {
  name: string;
  display_name: string;
  plan: TenantPlan;
  quotas?: QuotaLimits;
  admin: { email: string; password: string; display_name?: string | null };
}

export interface TenantUpdate {
  display_name?: string;
  plan?: TenantPlan;
  status?: TenantStatus;
  quotas?: QuotaLimits;
}

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
