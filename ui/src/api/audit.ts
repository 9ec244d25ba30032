/** Tenant admins: the audit log of state-changing requests, filtered and paged (newest first). */

import type { ApiClient } from "./client";
import type { Page, Schemas } from "./types";

// The server checks these query values with patterns, which the OpenAPI types cannot carry.
export type AuditOutcome = "success" | "denied" | "failed";
export type AuditActorType = "user" | "api_key";

export type AuditEntry = Schemas["AuditLogPublic"];

/**
 * The filters the UI sends. Hand-written: the generated query type allows `null`, which the
 * client's query string does not take, and its patterns are the unions above.
 */
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
