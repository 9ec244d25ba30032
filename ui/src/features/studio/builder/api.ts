/**
 * The builder's server calls through TanStack Query: the definition of the version it opens
 * (a template version's definition is instantiated from its template and parameters), the
 * debounced validation of the definition being edited, and saving it as a new version.
 */

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { ApiClient } from "../../../api/client";
import { ApiError, type ProblemFieldError } from "../../../api/problem";
import { useServices } from "../../../app/context";
import { studioKeys, type StudioAgentDetail, type Version, type VersionCreate } from "../api";
import type { WorkflowDefinition } from "./definition";

const agentPath = (agentId: string) => `/api/v1/developer/agents/${encodeURIComponent(agentId)}`;

/** A version and the definition it runs. */
export interface BuilderSource {
  version: Version;
  definition: WorkflowDefinition;
}

/**
 * A version's definition: its own, or for a version made from a template, the definition the
 * template gives with the version's parameters (`POST /templates/{id}/instantiate`).
 */
export async function fetchSource(
  client: ApiClient,
  agentId: string,
  versionId: string,
  signal?: AbortSignal,
): Promise<BuilderSource> {
  const version = await client.request<Version>(`${agentPath(agentId)}/versions/${encodeURIComponent(versionId)}`, {
    signal,
  });
  if (version.workflow_definition) {
    return { version, definition: version.workflow_definition as unknown as WorkflowDefinition };
  }
  if (!version.workflow_template_id) throw new Error("the version has neither a definition nor a template");
  const made = await client.request<{ definition: WorkflowDefinition; plan_hash: string }>(
    `/api/v1/templates/${encodeURIComponent(version.workflow_template_id)}/instantiate`,
    { json: { parameters: version.template_parameters ?? {} }, signal },
  );
  return { version, definition: made.definition };
}

/**
 * The version the builder opens. Its definition never changes, but its status does (submitted,
 * published): the key sits under the agents' key, so a submit or archive marks it stale too.
 */
export function useBuilderSource(agentId: string, versionId: string | null) {
  const { client } = useServices();
  return useQuery({
    queryKey: [...studioKeys.agents, "builder-source", agentId, versionId ?? ""],
    queryFn: ({ signal }) => fetchSource(client, agentId, versionId!, signal),
    enabled: versionId !== null,
    staleTime: Infinity,
    retry: false,
  });
}

/** The outcome of checking one definition: its problems (none when it is valid). */
export interface CheckResult {
  definition: WorkflowDefinition;
  problems: ProblemFieldError[];
}

/** Check a definition; a 422 is an answer (its problems), anything else a failure. */
export async function checkDefinition(
  client: ApiClient,
  definition: WorkflowDefinition,
  signal?: AbortSignal,
): Promise<CheckResult> {
  try {
    await client.request("/api/v1/developer/definitions/validate", {
      json: { workflow_definition: definition },
      signal,
    });
    return { definition, problems: [] };
  } catch (error) {
    if (error instanceof ApiError && error.status === 422) {
      const problems = error.errors.length ? error.errors : [{ path: "", message: error.detail }];
      return { definition, problems };
    }
    throw error;
  }
}

/** `value`, once it has stayed the same for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** How long the builder waits after the last change before checking. */
export const CHECK_DELAY_MS = 500;

/**
 * The definition checked by the server ~500 ms after it last changed. While a newer check is
 * under way the last result stays (its problems are placed on the current graph meanwhile).
 */
export function useValidation(definition: WorkflowDefinition, enabled: boolean) {
  const { client } = useServices();
  const settled = useDebounced(definition, CHECK_DELAY_MS);
  const query = useQuery({
    queryKey: ["studio", "validate", settled],
    queryFn: ({ signal }) => checkDefinition(client, settled, signal),
    enabled,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
    placeholderData: keepPreviousData,
  });
  const current = query.data?.definition === definition && !query.isPlaceholderData;
  return {
    result: query.data ?? null,
    /** True until the definition as it is now has been checked. */
    checking: enabled && (!current || query.isFetching),
    error: query.error,
    retry: () => void query.refetch(),
  };
}

/** What saving a version sends: for a new agent its name and description too. */
export interface SaveInput {
  /** null: the agent does not exist yet and is created first. */
  agentId: string | null;
  name: string;
  description: string;
  version: string;
  changelog: string;
  definition: WorkflowDefinition;
}

/**
 * The definition saved as a new version (creating the agent first when it is new). When the
 * version is refused the agent stays, and `onAgent` has its id, so the next try reuses it.
 */
export async function saveVersion(
  client: ApiClient,
  input: SaveInput,
  onAgent: (agentId: string) => void,
): Promise<Version> {
  let agentId = input.agentId;
  if (agentId === null) {
    const agent = await client.request<StudioAgentDetail>("/api/v1/developer/agents", {
      json: { name: input.name.trim(), description: input.description.trim() || null },
    });
    agentId = agent.id;
    onAgent(agentId);
  }
  const body: VersionCreate = {
    version: input.version.trim(),
    workflow_definition: input.definition as unknown as Record<string, unknown>,
    changelog: input.changelog.trim() || null,
  };
  return client.request<Version>(`${agentPath(agentId)}/versions`, { json: body });
}
