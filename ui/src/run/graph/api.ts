/** The agent version's own graph, as the API draws it from the compiled plan, and its query hook. */

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ApiClient } from "../../api/client";
import type { Schemas } from "../../api/types";
import { useServices } from "../../app/context";

/** The graph of one agent version, from its compiled plan: nodes (start and end included) and drawn edges. */
export type AgentGraph = Schemas["RunGraph"];
export type AgentGraphNode = Schemas["RunGraphNode"];
/** One drawn edge: a conditional or static fan-out of the definition is one per target. */
export type AgentGraphEdge = Schemas["RunGraphEdge"];
export type NodeRole = AgentGraphNode["role"];
export type EdgeKind = AgentGraphEdge["kind"];

/** Which graph to read: a run's (its version's), else the chat's (the version it is locked to). */
export interface GraphSource {
  executionId: string | null;
  chatId: string | null;
}

export function getExecutionGraph(client: ApiClient, executionId: string, signal?: AbortSignal): Promise<AgentGraph> {
  return client.request<AgentGraph>(`/api/v1/executions/${encodeURIComponent(executionId)}/graph`, { signal });
}

export function getChatGraph(client: ApiClient, chatId: string, signal?: AbortSignal): Promise<AgentGraph> {
  return client.request<AgentGraph>(`/api/v1/chats/${encodeURIComponent(chatId)}/graph`, { signal });
}

/** The graph for a run or a chat. A run's version never changes; a chat may move to a newer one. */
export function useAgentGraph({ executionId, chatId }: GraphSource) {
  const { client } = useServices();
  return useQuery({
    queryKey: executionId ? ["agent-graph", "execution", executionId] : ["agent-graph", "chat", chatId],
    queryFn: ({ signal }) =>
      executionId ? getExecutionGraph(client, executionId, signal) : getChatGraph(client, chatId!, signal),
    enabled: Boolean(executionId ?? chatId),
    staleTime: executionId ? Infinity : 30_000,
    // The chat's graph stays drawn while its new run's own graph loads.
    placeholderData: keepPreviousData,
  });
}
