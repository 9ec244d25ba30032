/**
 * What a submission changes against its agent's published version: the server's diff, and the
 * published version's graph (read through the store page's current version) to draw what it removes.
 */

import { useQuery } from "@tanstack/react-query";
import type { ApiClient } from "../../api/client";
import { getAgent } from "../../api/store";
import { useServices } from "../../app/context";
import type { AgentGraph } from "../../run/graph/api";
import type { VersionDiff } from "../../run/graph/graphDiff";
import { submissionKeys } from "./submissionQueries";

const reviewPath = (versionId: string) => `/api/v1/reviews/versions/${encodeURIComponent(versionId)}`;

export function getSubmissionDiff(client: ApiClient, versionId: string, signal?: AbortSignal): Promise<VersionDiff> {
  return client.request<VersionDiff>(`${reviewPath(versionId)}/diff`, { signal });
}

/** The graph of the agent's published version; null when the agent has none. */
export async function getPublishedGraph(
  client: ApiClient,
  agentId: string,
  signal?: AbortSignal,
): Promise<AgentGraph | null> {
  const agent = await getAgent(client, agentId, signal);
  const current = agent.current_version ?? agent.versions.find((v) => v.is_current) ?? null;
  if (!current) return null;
  return client.request<AgentGraph>(`${reviewPath(current.id)}/graph`, { signal });
}

/** The diff against the published version (versions never change once submitted). */
export function useSubmissionDiff(versionId: string) {
  const { client } = useServices();
  return useQuery({
    queryKey: [...submissionKeys.all, versionId, "diff"],
    queryFn: ({ signal }) => getSubmissionDiff(client, versionId, signal),
    staleTime: Infinity,
  });
}

/** The published version's graph, once the diff says there is one. */
export function usePublishedGraph(agentId: string, enabled: boolean) {
  const { client } = useServices();
  return useQuery({
    queryKey: [...submissionKeys.all, "published-graph", agentId],
    queryFn: ({ signal }) => getPublishedGraph(client, agentId, signal),
    enabled,
    // Without it the diff is still drawn (removed parts from the diff's own lists): no retries.
    retry: false,
  });
}
