/** Tenant admins: each quota's limit, use and reset time. */

import type { ApiClient } from "./client";
import type { Schemas } from "./types";

/**
 * One quota (users, agents, sessions_per_day or tokens_per_month): `limit` null is unlimited;
 * `reserved` is held by calls in flight (tokens only) and counts as used.
 */
export type QuotaUsage = Schemas["QuotaUsage"];

export type UsageReport = Schemas["UsageReport"];

export function getUsage(client: ApiClient, signal?: AbortSignal): Promise<UsageReport> {
  return client.request<UsageReport>("/api/v1/usage", { signal });
}
