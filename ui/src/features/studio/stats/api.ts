/** An agent's usage statistics for its developer: `GET /api/v1/developer/agents/{id}/stats?days=…`. */

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ApiClient } from "../../../api/client";
import type { Schemas } from "../../../api/types";
import { useServices } from "../../../app/context";

/** The window's totals, the agent's overall rating and one entry per day (days without use are zeros). */
export type AgentStats = Schemas["AgentStats"];
export type AgentDayStats = Schemas["AgentDayStats"];

/** The windows a developer can pick, in days (today included). */
export const STATS_WINDOWS = [7, 30, 90] as const;
export type StatsWindow = (typeof STATS_WINDOWS)[number];

/** Under Studio's agent keys, so whatever refreshes an agent refreshes its statistics too. */
export const statsKeys = {
  agent: (agentId: string, days: number) => ["studio", "agents", "stats", agentId, days] as const,
};

export function getAgentStats(
  client: ApiClient,
  agentId: string,
  days: number,
  signal?: AbortSignal,
): Promise<AgentStats> {
  return client.request<AgentStats>(`/api/v1/developer/agents/${encodeURIComponent(agentId)}/stats`, {
    query: { days },
    signal,
  });
}

/** The last `days` days of the agent's use; the previous window stays on screen while another loads. */
export function useAgentStats(agentId: string, days: number) {
  const { client } = useServices();
  return useQuery({
    queryKey: statsKeys.agent(agentId, days),
    queryFn: ({ signal }) => getAgentStats(client, agentId, days, signal),
    placeholderData: keepPreviousData,
  });
}
