/**
 * What the inspector's pickers offer, through TanStack Query: the tenant's model configs, the
 * tool registry and the knowledge bases. Each is one page of 200 (the API's largest page), read
 * once and kept a few minutes: a builder session does not need them fresher.
 */

import { useQuery } from "@tanstack/react-query";
import { listTools, type Tool } from "../../../../api/tools";
import type { Page, Schemas } from "../../../../api/types";
import { useServices } from "../../../../app/context";

export type ServiceConfig = Schemas["ServiceConfigPublic"];
export type KnowledgeBase = Schemas["KnowledgeBasePublic"];
export type { Tool };

export const inspectorKeys = {
  serviceConfigs: ["studio", "inspector", "service-configs"] as const,
  tools: ["studio", "inspector", "tools"] as const,
  knowledgeBases: ["studio", "inspector", "knowledge-bases"] as const,
};

const PICKER_PAGE = 200;
const PICKER_STALE_MS = 5 * 60_000;

/** The tenant's active chat-model configs (only admins may list them: others get a 403). */
export function useModelConfigs() {
  const { client } = useServices();
  return useQuery({
    queryKey: inspectorKeys.serviceConfigs,
    queryFn: ({ signal }) =>
      client.request<Page<ServiceConfig>>("/api/v1/service-configs", { query: { limit: PICKER_PAGE }, signal }),
    select: (page) => page.items.filter((config) => config.service_type === "llm" && config.is_active),
    staleTime: PICKER_STALE_MS,
  });
}

/** The tools of the tenant's registry that can be called (active ones). */
export function useRegistryTools() {
  const { client } = useServices();
  return useQuery({
    queryKey: inspectorKeys.tools,
    queryFn: ({ signal }) => listTools(client, { status: "active", limit: PICKER_PAGE }, signal),
    select: (page) => page.items,
    staleTime: PICKER_STALE_MS,
  });
}

/** The tenant's knowledge bases. */
export function useKnowledgeBases() {
  const { client } = useServices();
  return useQuery({
    queryKey: inspectorKeys.knowledgeBases,
    queryFn: ({ signal }) =>
      client.request<Page<KnowledgeBase>>("/api/v1/knowledge-bases", { query: { limit: PICKER_PAGE }, signal }),
    select: (page) => page.items,
    staleTime: PICKER_STALE_MS,
  });
}
