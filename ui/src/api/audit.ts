/** Tenant admins: the audit log of state-changing requests, filtered and paged (newest first). */

import type { ApiClient } from "./client";
import type { Page } from "./types";

export type AuditOutcome = "success" | "denied" | "failed";
export type AuditActorType = "user" | "api_key";

export interface AuditEntry {
  id: string;
  actor_id: string | null;
  actor_type: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  status_code: number | null;
  request_id: string | null;
  ip_address: string | null;
  details: Record<string, unknown>;
  created_at: string;
}

export interface AuditFilter {
  actor_id?: string;
  actor_type?: AuditActorType;
  /** e.g. "POST /api/v1/chats" */
  action?: string;
  target_type?: string;
  target_id?: string;
  outcome?: AuditOutcome;
  request_id?: string;
  /** ISO time, inclusive. */
  since?: string;
  /** ISO time, exclusive. */
  until?: string;
}

export function listAuditLogs(
  client: ApiClient,
  filter: AuditFilter,
  page: { limit: number; offset: number },
  signal?: AbortSignal,
): Promise<Page<AuditEntry>> {
  return client.request<Page<AuditEntry>>("/api/v1/audit-logs", { query: { ...filter, ...page }, signal });
}
