/** The agent store: agent pages, versions, ratings and reviews. */

import type { ApiClient } from "./client";
import type { Schemas } from "./types";

export type PublishedVersion = Schemas["PublishedVersion"];

/** An agent's store page: the summary, its rating count and its published versions. */
export type AgentDetail = Schemas["AgentStoreDetail"];

export type AgentReview = Schemas["ReviewPublic"];

/** Rating (1–5) and comment. */
export type ReviewWrite = Schemas["ReviewWrite"];

const agentPath = (id: string) => `/api/v1/agents/${encodeURIComponent(id)}`;

export function getAgent(client: ApiClient, agentId: string, signal?: AbortSignal): Promise<AgentDetail> {
  return client.request<AgentDetail>(agentPath(agentId), { signal });
}

export function listReviews(client: ApiClient, agentId: string, signal?: AbortSignal): Promise<AgentReview[]> {
  return client.request<AgentReview[]>(`${agentPath(agentId)}/reviews`, { signal });
}

/** Rate (1–5) and review an agent; writing again edits the caller's review. */
export function putMyReview(client: ApiClient, agentId: string, body: ReviewWrite): Promise<AgentReview> {
  return client.request<AgentReview>(`${agentPath(agentId)}/reviews/mine`, { method: "PUT", json: body });
}
