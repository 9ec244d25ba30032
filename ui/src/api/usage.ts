/** Tenant admins: each quota's limit, use and reset time. */

import type { ApiClient } from "./client";

export interface QuotaUsage {
  /** users, agents, sessions_per_day or tokens_per_month. */
  name: string;
  /** null: unlimited. */
  limit: number | null;
  used: number;
  /** Held by calls in flight (tokens only); counts as used. */
  reserved?: number;
  remaining: number | null;
  resets_at?: string | null;
}

export interface UsageReport {
  tenant_id: string;
  as_of: string;
  quotas: QuotaUsage[];
}

export function getUsage(client: ApiClient, signal?: AbortSignal): Promise<UsageReport> {
  return client.request<UsageReport>("/api/v1/usage", { signal });
}
