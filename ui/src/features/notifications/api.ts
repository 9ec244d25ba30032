/**
 * Notifications through TanStack Query: the caller's list and unread count (refreshed every
 * half minute and when the window regains focus), marking read, and the tenant's webhooks.
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ApiClient } from "../../api/client";
import type { Schemas } from "../../api/types";
import { useServices } from "../../app/context";

export type Notification = Schemas["NotificationPublic"];
export type NotificationPage = Schemas["NotificationPage"];
export type Webhook = Schemas["WebhookPublic"];
export type WebhookCreated = Schemas["WebhookCreated"];
export type WebhookCreate = Schemas["WebhookCreate"];
export type NotificationKind = WebhookCreate["events"][number];

/** Every kind, in the order the UI lists them. */
export const NOTIFICATION_KINDS: readonly NotificationKind[] = [
  "task_assigned",
  "task_escalated",
  "task_deadline_near",
  "submission_approved",
  "submission_rejected",
  "run_failed",
  "agent_version_published",
  "run_waiting_for_budget",
];

const REFRESH_MS = 30_000;

export const notificationKeys = {
  all: ["notifications"] as const,
  list: (unreadOnly: boolean, limit: number) => ["notifications", "list", unreadOnly, limit] as const,
  webhooks: ["webhooks"] as const,
};

export function listNotifications(
  client: ApiClient,
  query: { unread?: boolean; limit?: number; offset?: number },
  signal?: AbortSignal,
): Promise<NotificationPage> {
  return client.request<NotificationPage>("/api/v1/notifications", {
    signal,
    query: { unread: query.unread ? "true" : undefined, limit: query.limit, offset: query.offset },
  });
}

/** The caller's notifications, newest first, with the unread count. */
export function useNotifications(unreadOnly = false, limit = 50) {
  const { client } = useServices();
  return useQuery({
    queryKey: notificationKeys.list(unreadOnly, limit),
    queryFn: ({ signal }) => listNotifications(client, { unread: unreadOnly, limit }, signal),
    refetchInterval: REFRESH_MS,
  });
}

/** Mark one notification read, or all of them (no id). */
export function useMarkRead() {
  const { client } = useServices();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (id?: string) =>
      id
        ? client.request(`/api/v1/notifications/${encodeURIComponent(id)}/read`, { method: "POST" })
        : client.request("/api/v1/notifications/read-all", { method: "POST" }),
    onSettled: () => queries.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useWebhooks() {
  const { client } = useServices();
  return useQuery({
    queryKey: notificationKeys.webhooks,
    queryFn: ({ signal }) => client.request<Webhook[]>("/api/v1/webhooks", { signal }),
  });
}

export function useCreateWebhook() {
  const { client } = useServices();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: WebhookCreate) => client.request<WebhookCreated>("/api/v1/webhooks", { json: body }),
    onSuccess: () => queries.invalidateQueries({ queryKey: notificationKeys.webhooks }),
  });
}

export function useDeleteWebhook() {
  const { client } = useServices();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      client.request<void>(`/api/v1/webhooks/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => queries.invalidateQueries({ queryKey: notificationKeys.webhooks }),
  });
}

export type NotificationSettings = Schemas["NotificationSettings"];
const SETTINGS_PATH = "/api/v1/me/notification-settings";

/** The kinds the caller also receives by e-mail. */
export function useNotificationSettings() {
  const { client } = useServices();
  return useQuery({
    queryKey: [...notificationKeys.all, "settings"],
    queryFn: ({ signal }) => client.request<NotificationSettings>(SETTINGS_PATH, { signal }),
  });
}

export function useSaveNotificationSettings() {
  const { client } = useServices();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: NotificationSettings) =>
      client.request<NotificationSettings>(SETTINGS_PATH, { method: "PUT", json: body }),
    onSuccess: (saved) => queries.setQueryData([...notificationKeys.all, "settings"], saved),
  });
}

export type WebhookDelivery = Schemas["WebhookDeliveryPublic"];

/** A webhook's recent deliveries (read while its list is open). */
export function useWebhookDeliveries(webhookId: string, enabled: boolean) {
  const { client } = useServices();
  return useQuery({
    queryKey: [...notificationKeys.webhooks, webhookId, "deliveries"],
    queryFn: ({ signal }) =>
      client.request<WebhookDelivery[]>(`/api/v1/webhooks/${encodeURIComponent(webhookId)}/deliveries`, { signal }),
    enabled,
    refetchInterval: enabled ? REFRESH_MS : false,
  });
}
