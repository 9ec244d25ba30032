/**
 * The sandbox's server side: a test chat on one version of an agent, opened by its developer
 * (drafts included) or by a reviewer (a version waiting for review).
 */

import { useQuery } from "@tanstack/react-query";
import type { ApiClient } from "../../../../api/client";
import type { ChatPublic } from "../../../../api/types";
import { useServices } from "../../../../app/context";

/** Whose sandbox on which version: the developer's on their agent's version, or a reviewer's on a submission. */
export type SandboxTarget =
  { kind: "developer"; agentId: string; versionId: string } | { kind: "review"; versionId: string };

const seg = encodeURIComponent;

/** The route that opens a sandbox chat for `target`. */
export function sandboxPath(target: SandboxTarget): string {
  return target.kind === "developer"
    ? `/api/v1/developer/agents/${seg(target.agentId)}/versions/${seg(target.versionId)}/sandbox`
    : `/api/v1/reviews/versions/${seg(target.versionId)}/sandbox`;
}

/**
 * A new sandbox chat on the version: a chat only the person who opened it sees, answered by the
 * version as it is (`POST …/sandbox`).
 */
export function openSandbox(client: ApiClient, target: SandboxTarget, signal?: AbortSignal): Promise<ChatPublic> {
  return client.request<ChatPublic>(sandboxPath(target), { method: "POST", signal });
}

/**
 * The sandbox chat of one panel session. A query, not a mutation, so the chat is opened once
 * per `session` however often the panel renders (or React runs its effects twice); a new
 * session number opens a new chat. Never refetched: each fetch would open another chat.
 */
export function useSandboxChat(target: SandboxTarget | null, session: number | null) {
  const { client } = useServices();
  return useQuery({
    queryKey: ["sandbox-chat", target?.kind, target?.versionId, session],
    queryFn: ({ signal }) => openSandbox(client, target!, signal),
    enabled: target !== null && session !== null,
    staleTime: Infinity,
    gcTime: 10 * 60_000,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}
