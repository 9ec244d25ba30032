/**
 * A document's ingestion as the page shows it: the events of its stream (started, parsed,
 * each batch indexed, done) folded into progress, and that progress merged with the document's
 * row from the server into one status, step and share done.
 */

import type { SseFrame } from "../../sse/runEvents";
import type { KnowledgeDocument } from "./api";

/** Where one ingestion is, from its events. */
export interface IngestionProgress {
  phase: "queued" | "parsing" | "indexing" | "ready" | "failed" | "superseded";
  chunks: number | null;
  batchesDone: number;
  batchesTotal: number | null;
  error: string | null;
}

export const QUEUED: IngestionProgress = {
  phase: "queued",
  chunks: null,
  batchesDone: 0,
  batchesTotal: null,
  error: null,
};

type Data = Record<string, unknown>;

function parse(data: string): Data {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Data) : {};
  } catch {
    return {};
  }
}

const count = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
const text = (value: unknown): string | null => (typeof value === "string" && value ? value : null);

/** The event's name: the frame's `event:` line, else the `event` the data repeats. */
function eventName(frame: SseFrame, data: Data): string {
  return frame.event || (typeof data.event === "string" ? data.event : "");
}

/** One event applied to the progress (unknown events change nothing). */
export function applyIngestionEvent(progress: IngestionProgress, frame: SseFrame): IngestionProgress {
  const data = parse(frame.data);
  switch (eventName(frame, data)) {
    case "ingestion_started":
      return { ...QUEUED, phase: "parsing" };
    case "document_parsed":
      return { ...progress, phase: "indexing", chunks: count(data.chunks), batchesTotal: count(data.batches) };
    case "batch_indexed":
      return {
        ...progress,
        phase: "indexing",
        batchesDone: count(data.batch) ?? progress.batchesDone + 1,
        batchesTotal: count(data.batches) ?? progress.batchesTotal,
      };
    case "error":
      return { ...progress, error: text(data.content) ?? progress.error };
    case "done": {
      const status = data.status;
      const phase = status === "ready" || status === "failed" || status === "superseded" ? status : "failed";
      return {
        ...progress,
        phase,
        chunks: count(data.chunk_count) ?? progress.chunks,
        batchesDone: phase === "ready" ? (progress.batchesTotal ?? progress.batchesDone) : progress.batchesDone,
        error: text(data.error) ?? progress.error,
      };
    }
    default:
      return progress;
  }
}

/** Whether the stream is over with this frame: `done`, or the server's own error frame (no id). */
export function endsIngestionStream(frame: SseFrame): boolean {
  const name = eventName(frame, parse(frame.data));
  return name === "done" || (name === "error" && frame.id === "");
}

/** What the page shows of a document. */
export interface DocumentView {
  status: "pending" | "processing" | "ready" | "failed" | "deleting";
  /** The step of an ingestion under way (null when none is known). */
  step: "queued" | "parsing" | "indexing" | null;
  /** Share of the batches indexed, 0–1 (null when not known yet). */
  done: number | null;
  batchesDone: number;
  batchesTotal: number | null;
  chunks: number;
  error: string | null;
}

const FINAL = ["ready", "failed"];

/**
 * The row and the live progress merged: a deletion wins, then whichever of them has seen the end
 * (the stream usually before the row), else the live step of an ingestion under way.
 */
export function documentView(doc: KnowledgeDocument, progress: IngestionProgress | undefined): DocumentView {
  const base = {
    batchesDone: progress?.batchesDone ?? 0,
    batchesTotal: progress?.batchesTotal ?? null,
    chunks: doc.chunk_count,
    error: doc.error_message,
  };
  if (doc.status === "deleting") return { ...base, status: "deleting", step: null, done: null };
  if (progress && (progress.phase === "ready" || progress.phase === "failed")) {
    return {
      ...base,
      status: progress.phase,
      step: null,
      done: progress.phase === "ready" ? 1 : null,
      chunks: progress.chunks ?? doc.chunk_count,
      error: progress.error ?? doc.error_message,
    };
  }
  if (FINAL.includes(doc.status)) {
    return { ...base, status: doc.status as "ready" | "failed", step: null, done: doc.status === "ready" ? 1 : null };
  }
  const phase = progress?.phase;
  if (!progress || phase === undefined || phase === "superseded" || phase === "ready" || phase === "failed") {
    return { ...base, status: doc.status === "processing" ? "processing" : "pending", step: null, done: null };
  }
  const done =
    progress.batchesTotal === null
      ? null
      : progress.batchesTotal === 0
        ? 1
        : Math.min(1, progress.batchesDone / progress.batchesTotal);
  return {
    ...base,
    status: phase === "queued" ? "pending" : "processing",
    step: phase,
    done,
    chunks: progress.chunks ?? doc.chunk_count,
  };
}
