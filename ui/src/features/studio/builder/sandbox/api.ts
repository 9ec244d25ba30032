/** The sandbox's server side: a test chat on one version of the agent (drafts included). */

import { useQuery } from "@tanstack/react-query";
import type { ApiClient } from "../../../../api/client";
import type { ChatPublic } from "../../../../api/types";
import { useServices } from "../../../../app/context";

/**
 * A new sandbox chat on the version: a chat only its developer sees, answered by the version
 * as it is (`POST /developer/agents/{id}/versions/{vid}/sandbox`).
 */
export function openSandbox(
  client: ApiClient,
  agentId: string,
  versionId: string,
  signal?: AbortSignal,
): Promise<ChatPublic> {
  const path = `/api/v1/developer/agents/${encodeURIComponent(agentId)}/versions/${encodeURIComponent(versionId)}/sandbox`;
  return client.request<ChatPublic>(path, { method: "POST", signal });
}

/**
 * The sandbox chat of one panel session. A query, not a mutation, so the chat is opened once
 * per `session` however often the panel renders (or React runs its effects twice); a new
 * session number opens a new chat. Never refetched: each fetch would open another chat.
 */
export function useSandboxChat(agentId: string | null, versionId: string | null, session: number | null) {
  const { client } = useServices();
  return useQuery({
    queryKey: ["sandbox-chat", agentId, versionId, session],
    queryFn: ({ signal }) => openSandbox(client, agentId!, versionId!, signal),
    enabled: agentId !== null && versionId !== null && session !== null,
    staleTime: Infinity,
    gcTime: 10 * 60_000,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}
