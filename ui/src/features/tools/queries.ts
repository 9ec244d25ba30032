/**
 * Server state of the Tools page (TanStack Query): cache keys, the reads, and the changes with
 * what each one makes stale.
 */

import { mutationOptions, queryOptions } from "@tanstack/react-query";
import type { ApiClient } from "../../api/client";
import {
  checkToolServerHealth,
  createToolServer,
  deleteToolServer,
  discoverTools,
  listToolServers,
  listTools,
  updateTool,
  type Tool,
  type ToolFilter,
  type ToolServer,
  type ToolServerCreate,
  type ToolStatus,
} from "../../api/tools";
import type { Page } from "../../api/types";
import type { PageRequest } from "../../components/paged-list/usePagedList";
import { invalidates } from "../../lib/queryClient";

export const toolKeys = {
  all: ["tools"] as const,
  servers: ["tools", "servers"] as const,
  /** Every server by name, for the catalog's filter and cards. */
  serverChoices: ["tools", "servers", "choices"] as const,
  catalog: ["tools", "catalog"] as const,
};

/** The catalog's filter (the search box is separate). */
export type CatalogFilter = Pick<ToolFilter, "server" | "status">;

export function fetchServers(client: ApiClient) {
  return ({ limit, offset, signal }: PageRequest<object>): Promise<Page<ToolServer>> =>
    listToolServers(client, { limit, offset }, signal);
}

export function fetchCatalog(client: ApiClient) {
  return ({ filter, q, limit, offset, signal }: PageRequest<CatalogFilter>): Promise<Page<Tool>> =>
    listTools(client, { ...filter, q, limit, offset }, signal);
}

export const serverChoicesQuery = (client: ApiClient) =>
  queryOptions({
    queryKey: toolKeys.serverChoices,
    queryFn: ({ signal }) => listToolServers(client, { limit: 200 }, signal),
    select: (page) => page.items,
  });

/** Servers and the tools found on them change together: registering or discovering refreshes both. */
const serversAndToolsChanged = invalidates(toolKeys.all);

export const createServerMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (body: ToolServerCreate) => createToolServer(client, body),
    onSuccess: serversAndToolsChanged,
  });

export const checkHealthMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (server: ToolServer) => checkToolServerHealth(client, server.id),
    onSuccess: invalidates(toolKeys.servers),
  });

export const discoverMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (server: ToolServer) => discoverTools(client, server.id),
    onSuccess: serversAndToolsChanged,
  });

/**
 * Deleting a server takes its tools and every grant of them, which other pages show (a user's
 * tool permissions): everything cached is stale; what is on screen loads again at once.
 */
export const deleteServerMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (server: ToolServer) => deleteToolServer(client, server.id),
    onSuccess: invalidates(),
  });

/**
 * A tool's new status shows in place at once (the card does not jump out of a status filter
 * under the reader's eyes); the catalog is only marked stale, to load again when next shown.
 */
export const updateToolStatusMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: ({ toolId, status }: { toolId: string; status: ToolStatus }) => updateTool(client, toolId, { status }),
    onSuccess: (tool, _change, _result, context) => {
      context.client.setQueriesData<Page<Tool>>({ queryKey: toolKeys.catalog }, (page) =>
        page ? { ...page, items: page.items.map((item) => (item.id === tool.id ? tool : item)) } : page,
      );
      return context.client.invalidateQueries({ queryKey: toolKeys.catalog, refetchType: "none" });
    },
  });
