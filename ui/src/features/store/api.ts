/** The store's server state through TanStack Query: the agent list, an agent's page, its reviews. */

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { listAgents } from "../../api/endpoints";
import { getAgent, listReviews, putMyReview, type ReviewWrite } from "../../api/store";
import { useServices } from "../../app/context";

/** Every store query sits under `["store"]`, so one invalidation refreshes ratings everywhere. */
export const storeKeys = {
  all: ["store"] as const,
  agents: (search: string) => ["store", "agents", search] as const,
  agent: (agentId: string) => ["store", "agent", agentId] as const,
  reviews: (agentId: string) => ["store", "reviews", agentId] as const,
};

/** The store's list: up to 100 agents matching `search` (the server forgives typos). */
export const STORE_PAGE_SIZE = 100;

/** Published agents matching `search`; the previous results stay on screen while a new search loads. */
export function useStoreAgents(search: string) {
  const { client } = useServices();
  return useQuery({
    queryKey: storeKeys.agents(search),
    queryFn: ({ signal }) => listAgents(client, { q: search || undefined, limit: STORE_PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
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
