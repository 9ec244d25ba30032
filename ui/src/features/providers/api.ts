/**
 * Model providers and service configs (tenant admins): the API calls, the cache keys and the
 * changes with what each one makes stale (TanStack Query). An API key is only ever sent, never
 * read back: the server answers `has_credentials` and a masked `credentials_hint`.
 */

import { mutationOptions, queryOptions } from "@tanstack/react-query";
import type { ApiClient } from "../../api/client";
import type { Page, Schemas } from "../../api/types";
import type { PageRequest } from "../../components/paged-list/usePagedList";
import { invalidates } from "../../lib/queryClient";

export type Provider = Schemas["ProviderPublic"];
export type ProviderCreate = Schemas["ProviderCreate"];
export type ProviderUpdate = Schemas["ProviderUpdate"];
export type ProviderKind = ProviderCreate["kind"];
export type ServiceConfig = Schemas["ServiceConfigPublic"];
export type ServiceConfigCreate = Schemas["ServiceConfigCreate"];
export type ServiceConfigUpdate = Schemas["ServiceConfigUpdate"];

export const PROVIDER_KINDS: readonly ProviderKind[] = ["openai", "anthropic", "zhipu", "openai_compatible"];

/** The answer of `POST /api/v1/service-configs/{config_id}/test`: one tiny call to the model. */
export type ConnectionTest = Schemas["ServiceConfigTestResult"];

export const providerKeys = {
  /** Providers and configs change together: deleting a provider deletes its configs. */
  all: ["providers"] as const,
  providers: ["providers", "list"] as const,
  /** Every provider, for the config form's select and the configs' provider names. */
  choices: ["providers", "choices"] as const,
  configs: ["providers", "configs"] as const,
};

const providerPath = (id: number) => `/api/v1/providers/${id}`;
const configPath = (id: number) => `/api/v1/service-configs/${id}`;

/** A page of providers (for `usePagedList`). */
export function fetchProviders(client: ApiClient) {
  return ({ limit, offset, signal }: PageRequest<object>): Promise<Page<Provider>> =>
    client.request<Page<Provider>>("/api/v1/providers", { query: { limit, offset }, signal });
}

/** A page of service configs (for `usePagedList`). */
export function fetchConfigs(client: ApiClient) {
  return ({ limit, offset, signal }: PageRequest<object>): Promise<Page<ServiceConfig>> =>
    client.request<Page<ServiceConfig>>("/api/v1/service-configs", { query: { limit, offset }, signal });
}

/** Every provider (one page of 200 holds a tenant's providers). */
export const providerChoicesQuery = (client: ApiClient) =>
  queryOptions({
    queryKey: providerKeys.choices,
    queryFn: ({ signal }) => client.request<Page<Provider>>("/api/v1/providers", { query: { limit: 200 }, signal }),
    select: (page) => page.items,
  });

export const createProviderMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (body: ProviderCreate) => client.request<Provider>("/api/v1/providers", { json: body }),
    onSuccess: invalidates(providerKeys.all),
  });

export const updateProviderMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: ({ id, body }: { id: number; body: ProviderUpdate }) =>
      client.request<Provider>(providerPath(id), { method: "PATCH", json: body }),
    onSuccess: invalidates(providerKeys.all),
  });

export const deleteProviderMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (provider: Provider) => client.request<void>(providerPath(provider.provider_id), { method: "DELETE" }),
    onSuccess: invalidates(providerKeys.all),
  });

export const createConfigMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (body: ServiceConfigCreate) => client.request<ServiceConfig>("/api/v1/service-configs", { json: body }),
    // A new default takes the flag from the old one: the whole list changes.
    onSuccess: invalidates(providerKeys.configs),
  });

export const updateConfigMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: ({ id, body }: { id: number; body: ServiceConfigUpdate }) =>
      client.request<ServiceConfig>(configPath(id), { method: "PATCH", json: body }),
    onSuccess: invalidates(providerKeys.configs),
  });

export const deleteConfigMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (config: ServiceConfig) => client.request<void>(configPath(config.config_id), { method: "DELETE" }),
    onSuccess: invalidates(providerKeys.configs),
  });

/** Make one tiny call with a service config's model and key; the answer says how it went. */
export function testConnection(client: ApiClient, configId: number): Promise<ConnectionTest> {
  return client.request<ConnectionTest>(`${configPath(configId)}/test`, { method: "POST" });
}
