/**
 * The store's server state through TanStack Query: the agent list (searched and filtered), the
 * category tree, an agent's page, its reviews.
 */

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ApiClient } from "../../api/client";
import { getAgent, listReviews, putMyReview, type ReviewWrite } from "../../api/store";
import type { AgentSummary, Page } from "../../api/types";
import { useServices } from "../../app/context";
import type { CategoryNode, StoreFilter } from "./filters";

/** Every store query sits under `["store"]`, so one invalidation refreshes ratings everywhere. */
export const storeKeys = {
  all: ["store"] as const,
  agents: (filter: StoreFilter) => ["store", "agents", filter.q, filter.category, filter.tag] as const,
  categories: ["store", "categories"] as const,
  agent: (agentId: string) => ["store", "agent", agentId] as const,
  reviews: (agentId: string) => ["store", "reviews", agentId] as const,
};

/** The store's list: up to 100 agents matching the filter (the server forgives typos). */
export const STORE_PAGE_SIZE = 100;

/** Published agents matching `filter`: a category includes its sub-categories, a tag matches exactly. */
export function listStoreAgents(
  client: ApiClient,
  filter: StoreFilter,
  signal?: AbortSignal,
): Promise<Page<AgentSummary>> {
  // Empty values are left out of the query string by the client.
  const query = { q: filter.q, category_id: filter.category, tag: filter.tag, limit: STORE_PAGE_SIZE };
  return client.request<Page<AgentSummary>>("/api/v1/agents", { query, signal });
}

/** The store's category tree. */
export function listCategories(client: ApiClient, signal?: AbortSignal): Promise<CategoryNode[]> {
  return client.request<CategoryNode[]>("/api/v1/categories", { signal });
}

/** Published agents matching `filter`; the previous results stay on screen while a new filter loads. */
export function useStoreAgents(filter: StoreFilter) {
  const { client } = useServices();
  return useQuery({
    queryKey: storeKeys.agents(filter),
    queryFn: ({ signal }) => listStoreAgents(client, filter, signal),
    placeholderData: keepPreviousData,
  });
}

/** The category tree; it changes rarely (an admin edits it), so it is kept for a few minutes. */
export function useCategories() {
  const { client } = useServices();
  return useQuery({
    queryKey: storeKeys.categories,
    queryFn: ({ signal }) => listCategories(client, signal),
    staleTime: 5 * 60_000,
  });
}

/** An agent's store page: summary, rating count and published versions. */
export function useAgentDetail(agentId: string) {
  const { client } = useServices();
  return useQuery({
    queryKey: storeKeys.agent(agentId),
    queryFn: ({ signal }) => getAgent(client, agentId, signal),
  });
}

/** Everyone's reviews of an agent. */
export function useAgentReviews(agentId: string) {
  const { client } = useServices();
  return useQuery({
    queryKey: storeKeys.reviews(agentId),
    queryFn: ({ signal }) => listReviews(client, agentId, signal),
  });
}

/** Save the caller's rating and review; the agent's average, its reviews and the list refresh. */
export function useSaveReview(agentId: string) {
  const { client } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ReviewWrite) => putMyReview(client, agentId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: storeKeys.all }),
  });
}
