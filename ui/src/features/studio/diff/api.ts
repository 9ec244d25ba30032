/** The diff between two of the developer's versions, through TanStack Query (versions never change). */

import { useQuery } from "@tanstack/react-query";
import type { ApiClient } from "../../../api/client";
import { useServices } from "../../../app/context";
import type { VersionDiff } from "../../../run/graph/graphDiff";
import { studioKeys } from "../api";

const versionPath = (agentId: string, versionId: string) =>
  `/api/v1/developer/agents/${encodeURIComponent(agentId)}/versions/${encodeURIComponent(versionId)}`;

/** What changed from version `fromId` to version `toId` of one agent. */
export function getVersionDiff(
  client: ApiClient,
  agentId: string,
  fromId: string,
  toId: string,
  signal?: AbortSignal,
): Promise<VersionDiff> {
  return client.request<VersionDiff>(`${versionPath(agentId, fromId)}/diff/${encodeURIComponent(toId)}`, { signal });
}

export function useVersionDiff(agentId: string, fromId: string | null, toId: string | null) {
  const { client } = useServices();
  return useQuery({
    queryKey: [...studioKeys.agents, "diff", agentId, fromId ?? "", toId ?? ""],
    queryFn: ({ signal }) => getVersionDiff(client, agentId, fromId!, toId!, signal),
    enabled: fromId !== null && toId !== null,
    staleTime: Infinity,
  });
}
