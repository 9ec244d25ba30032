/**
 * Server state of the account page (TanStack Query): the caller's API keys and tool
 * permissions, and the changes with what each one makes stale.
 */

import { mutationOptions, queryOptions } from "@tanstack/react-query";
import { createApiKey, listApiKeys, revokeApiKey, type ApiKey, type ApiKeyCreate } from "../../api/apiKeys";
import type { ApiClient } from "../../api/client";
import {
  grantTool,
  listToolGrants,
  listTools,
  revokeToolGrant,
  type ToolGrant,
  type ToolGrantCreate,
} from "../../api/tools";
import type { Page } from "../../api/types";
import type { PageRequest } from "../../components/paged-list/usePagedList";
import { invalidates } from "../../lib/queryClient";

export const accountKeys = {
  apiKeys: ["account", "apiKeys"] as const,
  toolGrants: ["account", "toolGrants"] as const,
  /** The tools a grant may name (and the names of granted ones). */
  grantableTools: ["account", "grantableTools"] as const,
};

/** The API answers every key at once; the list shows them as one page. */
export function fetchApiKeys(client: ApiClient) {
  return async ({ signal }: PageRequest<object>): Promise<Page<ApiKey>> => {
    const keys = await listApiKeys(client, signal);
    return { items: keys, total: keys.length, limit: keys.length, offset: 0 };
  };
}

export function fetchToolGrants(client: ApiClient) {
  return ({ limit, offset, signal }: PageRequest<object>): Promise<Page<ToolGrant>> =>
    listToolGrants(client, { limit, offset }, signal);
}

export const grantableToolsQuery = (client: ApiClient) =>
  queryOptions({
    queryKey: accountKeys.grantableTools,
    queryFn: ({ signal }) => listTools(client, { limit: 200 }, signal),
    select: (page) => page.items,
  });

export const createApiKeyMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (body: ApiKeyCreate) => createApiKey(client, body),
    onSuccess: invalidates(accountKeys.apiKeys),
  });

export const revokeApiKeyMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (key: ApiKey) => revokeApiKey(client, key.id),
    onSuccess: invalidates(accountKeys.apiKeys),
  });

export const grantToolMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (body: ToolGrantCreate) => grantTool(client, body),
    onSuccess: invalidates(accountKeys.toolGrants),
  });

export const revokeToolGrantMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (grant: ToolGrant) => revokeToolGrant(client, grant.id),
    onSuccess: invalidates(accountKeys.toolGrants),
  });
