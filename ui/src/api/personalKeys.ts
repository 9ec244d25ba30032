/**
 * The caller's own model keys (write-only: only a masked hint comes back), who pays for their
 * runs of each agent, and the organisation's switch that allows or forbids personal keys.
 */

import { mutationOptions, queryOptions } from "@tanstack/react-query";
import { invalidates } from "../lib/queryClient";
import type { ApiClient } from "./client";
import type { Schemas } from "./types";

export type PersonalKey = Schemas["PersonalKeyPublic"];
export type PersonalKeyList = Schemas["PersonalKeyList"];
export type PersonalKeyCreate = Schemas["PersonalKeyCreate"];
export type PayerChoice = Schemas["PayerChoicePublic"];
export type PaidBy = Schemas["PaidBy"];
export type ProviderKind = PersonalKeyCreate["kind"];

export const PROVIDER_KINDS: readonly ProviderKind[] = ["openai", "anthropic", "zhipu", "openai_compatible"];

export const personalKeyQueries = {
  all: ["personalKeys"] as const,
  list: ["personalKeys", "list"] as const,
  payer: (agentId: string) => ["personalKeys", "payer", agentId] as const,
  policy: ["personalKeys", "policy"] as const,
};

const keyPath = (id: string) => `/api/v1/me/provider-keys/${encodeURIComponent(id)}`;
const payerPath = (agentId: string) => `/api/v1/me/agents/${encodeURIComponent(agentId)}/payer`;

export const personalKeysQuery = (client: ApiClient) =>
  queryOptions({
    queryKey: personalKeyQueries.list,
    queryFn: ({ signal }) => client.request<PersonalKeyList>("/api/v1/me/provider-keys", { signal }),
  });

export const payerQuery = (client: ApiClient, agentId: string) =>
  queryOptions({
    queryKey: personalKeyQueries.payer(agentId),
    queryFn: ({ signal }) => client.request<PayerChoice>(payerPath(agentId), { signal }),
  });

export const personalKeysPolicyQuery = (client: ApiClient) =>
  queryOptions({
    queryKey: personalKeyQueries.policy,
    queryFn: ({ signal }) => client.request<Schemas["PersonalKeysPolicy"]>("/api/v1/tenant/personal-keys", { signal }),
  });

export const addPersonalKeyMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (body: PersonalKeyCreate) => client.request<PersonalKey>("/api/v1/me/provider-keys", { json: body }),
    onSuccess: invalidates(personalKeyQueries.all),
  });

export const replacePersonalKeyMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: ({ id, apiKey }: { id: string; apiKey: string }) =>
      client.request<PersonalKey>(`${keyPath(id)}/secret`, { method: "PUT", json: { api_key: apiKey } }),
    onSuccess: invalidates(personalKeyQueries.all),
  });

export const deletePersonalKeyMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: async (key: PersonalKey) => {
      await client.request<void>(keyPath(key.id), { method: "DELETE" });
    },
    onSuccess: invalidates(personalKeyQueries.all),
  });

export const setPayerMutation = (client: ApiClient, agentId: string) =>
  mutationOptions({
    mutationFn: (keyId: string | null) =>
      client.request<PayerChoice>(payerPath(agentId), {
        method: "PUT",
        json: keyId ? { payer: "personal", key_id: keyId } : { payer: "tenant" },
      }),
    onSuccess: invalidates(personalKeyQueries.payer(agentId)),
  });

export const setPersonalKeysPolicyMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (allow: boolean) =>
      client.request<Schemas["PersonalKeysPolicy"]>("/api/v1/tenant/personal-keys", {
        method: "PUT",
        json: { allow_personal_keys: allow },
      }),
    onSuccess: invalidates(personalKeyQueries.all),
  });
