/**
 * Live progress of a knowledge base's documents: each document that is pending or processing is
 * followed on its event stream once, its events folded into progress; when a stream ends the
 * documents are loaded again, so the server's row has the last word.
 */

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { ApiClient } from "../../api/client";
import { knowledgeKeys, type KnowledgeDocument } from "./api";
import { followDocument } from "./followDocument";
import { applyIngestionEvent, QUEUED, type IngestionProgress } from "./ingestion";

const FOLLOWED = ["pending", "processing"];

export interface LiveProgress {
  /** Progress by document id, for the documents followed so far. */
  progress: Record<string, IngestionProgress>;
  /** Drop what is known of a document (it was uploaded again): it is followed afresh. */
  forget: (documentId: string) => void;
}

export function useIngestionProgress(
  client: ApiClient,
  baseId: string,
  documents: readonly KnowledgeDocument[] | undefined,
): LiveProgress {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<Record<string, IngestionProgress>>({});
  // Each document is followed once per visit; polling the list covers a stream that failed.
  const followed = useRef(new Map<string, AbortController>());

  useEffect(() => {
    for (const doc of documents ?? []) {
      if (!FOLLOWED.includes(doc.status) || followed.current.has(doc.id)) continue;
      const controller = new AbortController();
      followed.current.set(doc.id, controller);
      setProgress((all) => ({ ...all, [doc.id]: all[doc.id] ?? QUEUED }));
      const onEvent = (frame: Parameters<typeof applyIngestionEvent>[1]) =>
        setProgress((all) => ({ ...all, [doc.id]: applyIngestionEvent(all[doc.id] ?? QUEUED, frame) }));
      void followDocument(client, baseId, doc.id, onEvent, { signal: controller.signal })
        .catch(() => undefined)
        .finally(() => {
          if (controller.signal.aborted) return;
          void queryClient.invalidateQueries({ queryKey: knowledgeKeys.documents(baseId) });
          void queryClient.invalidateQueries({ queryKey: knowledgeKeys.base(baseId) });
        });
    }
  }, [client, baseId, documents, queryClient]);

  // Leaving the page closes every stream (and a remount follows afresh).
  useEffect(() => {
    const streams = followed.current;
    return () => {
      for (const controller of streams.values()) controller.abort();
      streams.clear();
    };
  }, []);

  const forget = useCallback((documentId: string) => {
    followed.current.get(documentId)?.abort();
    followed.current.delete(documentId);
    setProgress((all) => {
      const { [documentId]: _dropped, ...rest } = all;
      return rest;
    });
  }, []);

  return { progress, forget };
}
