/**
 * Studio's server state through TanStack Query: the node type catalog, templates, the developer's
 * agents with their versions and graphs, and the changes (create from a template, submit, archive)
 * with what each one makes stale.
 */

import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import type { ApiClient } from "../../api/client";
import { listNodeTypes } from "../../api/endpoints";
import type { Page, Schemas } from "../../api/types";
import { useServices } from "../../app/context";
import type { PageRequest } from "../../components/paged-list/usePagedList";
import type { AgentGraph } from "../../run/graph/api";
import { invalidates } from "../../lib/queryClient";

export type TemplateSummary = Schemas["TemplateSummary"];
export type TemplateDetail = Schemas["TemplateDetail"];
export type StudioAgent = Schemas["AgentSummary"];
export type StudioAgentDetail = Schemas["AgentDetail"];
export type VersionSummary = Schemas["VersionSummary"];
export type Version = Schemas["VersionPublic"];
export type VersionCreate = Schemas["VersionCreate"];

/** The agent statuses the list filters on (the server checks the same three). */
export const AGENT_STATUSES = ["draft", "published", "archived"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** The list's filter. Hand-written: the generated query type allows `null`, which the query string does not take. */
export interface StudioAgentFilter {
  status?: AgentStatus;
}

export const studioKeys = {
  nodeTypes: ["studio", "node-types"] as const,
  templates: ["studio", "templates"] as const,
  template: (id: string) => ["studio", "templates", id] as const,
  /** Everything about the developer's agents: the list, each agent, its versions and graphs. */
  agents: ["studio", "agents"] as const,
  agent: (id: string) => ["studio", "agents", "one", id] as const,
  graph: (agentId: string, versionId: string) => ["studio", "agents", "graph", agentId, versionId] as const,
};

const agentPath = (agentId: string) => `/api/v1/developer/agents/${encodeURIComponent(agentId)}`;
const versionPath = (agentId: string, versionId: string) =>
  `${agentPath(agentId)}/versions/${encodeURIComponent(versionId)}`;

/** Every node type with its config schema. */
export function useNodeTypes() {
  const { client } = useServices();
  return useQuery({
    queryKey: studioKeys.nodeTypes,
    queryFn: ({ signal }) => listNodeTypes(client, signal),
    staleTime: 5 * 60_000,
  });
}

/** The shared catalog and the tenant's own templates (one page of 200 holds them all). */
export function useTemplates() {
  const { client } = useServices();
  return useQuery({
    queryKey: studioKeys.templates,
    queryFn: ({ signal }) =>
      client.request<Page<TemplateSummary>>("/api/v1/templates", { query: { limit: 200 }, signal }),
    staleTime: 60_000,
  });
}

/** A template with its parameter schema, nodes and edges. */
export function useTemplate(templateId: string) {
  const { client } = useServices();
  return useQuery({
    queryKey: studioKeys.template(templateId),
    queryFn: ({ signal }) =>
      client.request<TemplateDetail>(`/api/v1/templates/${encodeURIComponent(templateId)}`, { signal }),
    staleTime: 60_000,
  });
}

/** A page of the agents the developer builds (for `usePagedList`). */
export function fetchStudioAgents(client: ApiClient) {
  return ({ filter, q, limit, offset, signal }: PageRequest<StudioAgentFilter>): Promise<Page<StudioAgent>> =>
    client.request<Page<StudioAgent>>("/api/v1/developer/agents", {
      query: { status: filter.status, q, limit, offset },
      signal,
    });
}

/** One of the developer's agents with its versions, newest first. */
export function useStudioAgent(agentId: string) {
  const { client } = useServices();
  return useQuery({
    queryKey: studioKeys.agent(agentId),
    queryFn: ({ signal }) => client.request<StudioAgentDetail>(agentPath(agentId), { signal }),
  });
}

/** A version's graph from its compiled plan (a version never changes once created). */
export function useVersionGraph(agentId: string, versionId: string | null) {
  const { client } = useServices();
  return useQuery({
    queryKey: studioKeys.graph(agentId, versionId ?? ""),
    queryFn: ({ signal }) => client.request<AgentGraph>(`${versionPath(agentId, versionId!)}/graph`, { signal }),
    enabled: versionId !== null,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
}

/** What "use this template" sends: the agent's own fields and the template's parameters. */
export interface FromTemplate {
  templateId: string;
  name: string;
  description: string;
  /** What the reviewer reads about this first version. */
  changelog: string;
  parameters: Record<string, unknown>;
}

/** The first version of an agent made from a template. */
export const FIRST_VERSION = "1.0.0";

/**
 * A new agent and its first version from a template. The agent is created first; when the version
 * is refused (its parameters do not fit) the agent stays as an empty draft, so a second try with
 * corrected parameters reuses it instead of failing on the taken name.
 */
export async function createFromTemplate(
  client: ApiClient,
  input: FromTemplate,
  existingAgentId: string | null,
  onAgent: (agentId: string) => void,
): Promise<Version> {
  let agentId = existingAgentId;
  if (agentId === null) {
    const agent = await client.request<StudioAgentDetail>("/api/v1/developer/agents", {
      json: { name: input.name.trim(), description: input.description.trim() || null },
    });
    agentId = agent.id;
    onAgent(agentId);
  }
  const body: VersionCreate = {
    version: FIRST_VERSION,
    workflow_template_id: input.templateId,
    template_parameters: input.parameters,
    changelog: input.changelog.trim() || null,
  };
  return client.request<Version>(`${agentPath(agentId)}/versions`, { json: body });
}

/** Submit a draft (or rejected) version for review, or archive a version. */
export function useVersionAction(agentId: string, action: "submit" | "archive") {
  const { client } = useServices();
  return useMutation({
    mutationFn: (versionId: string) =>
      client.request<Version>(`${versionPath(agentId, versionId)}/${action}`, { method: "POST" }),
    onSuccess: invalidates(studioKeys.agents),
  });
}
