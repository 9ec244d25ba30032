/** The agent store: agent pages, versions, ratings and reviews. */

import type { ApiClient } from "./client";
import type { AgentSummary } from "./types";

export interface PublishedVersion {
  id: string;
  version: string;
  changelog: string | null;
  published_at: string | null;
  is_current: boolean;
}

export interface AgentDetail extends AgentSummary {
  rating_count: number;
  versions: PublishedVersion[];
}

export interface AgentReview {
  id: string;
  user_id: string;
  rating: number;
  comment: string | null;
  created_at: string;
  updated_at: string;
}

const agentPath = (id: string) => `/api/v1/agents/${encodeURIComponent(id)}`;

export function getAgent(client: ApiClient, agentId: string, signal?: AbortSignal): Promise<AgentDetail> {
  return client.request<AgentDetail>(agentPath(agentId), { signal });
}

export function listReviews(client: ApiClient, agentId: string, signal?: AbortSignal): Promise<AgentReview[]> {
  return client.request<AgentReview[]>(`${agentPath(agentId)}/reviews`, { signal });
}

/** Rate (1–5) and review an agent; writing again edits the caller's review. */
export function putMyReview(
  client: ApiClient,
  agentId: string,
  body: { rating: number; comment: string | null },
): Promise<AgentReview> {
  return client.request<AgentReview>(`${agentPath(agentId)}/reviews/mine`, { method: "PUT", json: body });
}
