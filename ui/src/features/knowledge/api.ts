/**
 * Knowledge bases (developers and admins): the API calls, the cache keys and the changes with
 * what each one makes stale (TanStack Query). Documents are uploaded one file per request
 * (multipart); their ingestion runs on a worker and reports progress on its own event stream.
 */

import { mutationOptions, queryOptions } from "@tanstack/react-query";
import type { ApiClient } from "../../api/client";
import type { Page, Schemas } from "../../api/types";
import type { PageRequest } from "../../components/paged-list/usePagedList";
import { invalidates } from "../../lib/queryClient";

export type KnowledgeBase = Schemas["KnowledgeBasePublic"];
export type KnowledgeBaseCreate = Schemas["KnowledgeBaseCreate"];
/** A document; `status` is pending, processing, ready, failed or deleting. */
export type KnowledgeDocument = Schemas["DocumentPublic"];
export type UploadResult = Schemas["UploadResult"];
export type SearchRequest = Schemas["SearchRequest"];
export type Passage = Schemas["PassagePublic"];
export type SearchResponse = Schemas["SearchResponse"];

/** The statuses in which a document is still on its way (its list refreshes until they end). */
export const BUSY_STATUSES: readonly string[] = ["pending", "processing", "deleting"];

/** The documents one page holds (the server's largest page). */
export const DOCUMENT_PAGE = 200;

export const knowledgeKeys = {
  all: ["knowledge"] as const,
  bases: ["knowledge", "bases"] as const,
  base: (id: string) => ["knowledge", "base", id] as const,
  documents: (id: string) => ["knowledge", "documents", id] as const,
};

export const basePath = (id: string) => `/api/v1/knowledge-bases/${encodeURIComponent(id)}`;
const documentPath = (baseId: string, documentId: string) =>
  `${basePath(baseId)}/documents/${encodeURIComponent(documentId)}`;

/** A page of knowledge bases (for `usePagedList`). */
export function fetchKnowledgeBases(client: ApiClient) {
  return ({ limit, offset, signal }: PageRequest<object>): Promise<Page<KnowledgeBase>> =>
    client.request<Page<KnowledgeBase>>("/api/v1/knowledge-bases", { query: { limit, offset }, signal });
}

export const knowledgeBaseQuery = (client: ApiClient, id: string) =>
  queryOptions({
    queryKey: knowledgeKeys.base(id),
    queryFn: ({ signal }) => client.request<KnowledgeBase>(basePath(id), { signal }),
  });

/**
 * A knowledge base's documents (the first 200). While any is still pending, processing or being
 * deleted, the list reloads every few seconds: the live progress comes from each document's
 * event stream, but the final word (and a deletion's end) is the server's row.
 */
export const documentsQuery = (client: ApiClient, id: string) =>
  queryOptions({
    queryKey: knowledgeKeys.documents(id),
    queryFn: ({ signal }) =>
      client.request<Page<KnowledgeDocument>>(`${basePath(id)}/documents`, {
        query: { limit: DOCUMENT_PAGE },
        signal,
      }),
    refetchInterval: (query) =>
      query.state.data?.items.some((doc) => BUSY_STATUSES.includes(doc.status)) ? 4_000 : false,
  });

export const createKnowledgeBaseMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (body: KnowledgeBaseCreate) => client.request<KnowledgeBase>("/api/v1/knowledge-bases", { json: body }),
    onSuccess: invalidates(knowledgeKeys.bases),
  });

/**
 * Deleting a knowledge base takes its documents. The list loads again; the base's own page is
 * only marked stale (reloading it now would just say "not found" while the person leaves it).
 */
export const deleteKnowledgeBaseMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (base: KnowledgeBase) => client.request<void>(basePath(base.id), { method: "DELETE" }),
    onSuccess: async (_data, _base, _result, context) => {
      await context.client.invalidateQueries({ queryKey: knowledgeKeys.all, refetchType: "none" });
      await context.client.invalidateQueries({ queryKey: knowledgeKeys.bases });
    },
  });

/** Upload one file: 202 while it is ingested, 200 (`unchanged`) when the same bytes were already there. */
export function uploadDocument(client: ApiClient, baseId: string, file: File): Promise<UploadResult> {
  const form = new FormData();
  form.append("file", file, file.name);
  return client.request<UploadResult>(`${basePath(baseId)}/documents`, { method: "POST", form });
}

export const deleteDocumentMutation = (client: ApiClient, baseId: string) =>
  mutationOptions({
    mutationFn: (doc: KnowledgeDocument) =>
      client.request<KnowledgeDocument>(documentPath(baseId, doc.id), { method: "DELETE" }),
    onSuccess: invalidates(knowledgeKeys.all),
  });

/** Search one knowledge base exactly as a `rag` node would. */
export function searchKnowledgeBase(client: ApiClient, baseId: string, body: SearchRequest): Promise<SearchResponse> {
  return client.request<SearchResponse>(`${basePath(baseId)}/search`, { json: body });
}

/** The path of a document's ingestion events (SSE). */
export const documentEventsPath = (baseId: string, documentId: string) => `${documentPath(baseId, documentId)}/events`;
