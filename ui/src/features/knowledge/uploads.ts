/**
 * The files a person drops or picks, as the upload list shows them: each one waiting, being sent,
 * sent (and what the server did with it) or refused. Files the server would refuse for their size
 * or type are refused here first, in the person's words, without sending them.
 */

import type { TFunction } from "i18next";
import { ApiError, toApiError } from "../../api/problem";
import { formatNumber } from "../../lib/format";
import type { UploadResult } from "./api";

/** The server's limit per file (`MAX_UPLOAD_BYTES`). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** What the worker's parsers read, by file name ending (the server checks the same list). */
export const SUPPORTED_SUFFIXES = [".txt", ".text", ".md", ".markdown", ".html", ".htm", ".pdf"];
const SUPPORTED_TYPES = ["text/plain", "text/markdown", "text/html", "application/pdf"];

/** For the file picker's `accept`. */
export const ACCEPT = [...SUPPORTED_SUFFIXES, ...SUPPORTED_TYPES].join(",");

export interface Upload {
  /** Unique in the list (the same file may be sent twice). */
  key: string;
  name: string;
  size: number;
  state: "waiting" | "sending" | "sent" | "failed";
  /** What the server did: created, replaced, retried, or unchanged (same bytes already there). */
  action: UploadResult["action"] | null;
  error: ApiError | null;
}

/** Whether the server takes the file's type: by its name's ending, else by its declared type. */
function supported(file: Pick<File, "name" | "type">): boolean {
  const name = file.name.toLowerCase();
  if (SUPPORTED_SUFFIXES.some((suffix) => name.endsWith(suffix))) return true;
  return SUPPORTED_TYPES.includes(file.type.split(";")[0]!.trim().toLowerCase());
}

/** Why the file cannot be sent (as the server's 413 / 415 would say), or null. */
export function refusal(file: Pick<File, "name" | "type" | "size">, t: TFunction): ApiError | null {
  if (file.size > MAX_UPLOAD_BYTES) return plainProblem(413, t);
  if (!supported(file)) return plainProblem(415, t);
  if (file.size === 0)
    return new ApiError({ status: 422, title: t("knowledge:upload.empty"), detail: t("knowledge:upload.empty") });
  return null;
}

function plainProblem(status: 413 | 415, t: TFunction): ApiError {
  const detail =
    status === 413
      ? t("knowledge:upload.tooLarge", { max: MAX_UPLOAD_BYTES / (1024 * 1024) })
      : t("knowledge:upload.unsupported", { types: SUPPORTED_SUFFIXES.join(" ") });
  return new ApiError({ status, title: detail, detail });
}

/** A failed upload in plain words: a 413 or 415 (from the API or a proxy in front) says what to do. */
export function uploadProblem(error: unknown, t: TFunction): ApiError {
  const problem = toApiError(error);
  return problem.status === 413 || problem.status === 415 ? plainProblem(problem.status, t) : problem;
}

/** New entries for `files`: waiting, or already refused. */
export function queueFiles(
  files: readonly Pick<File, "name" | "type" | "size">[],
  t: TFunction,
  nextKey: () => string,
): Upload[] {
  return files.map((file) => {
    const error = refusal(file, t);
    return {
      key: nextKey(),
      name: file.name,
      size: file.size,
      state: error ? "failed" : "waiting",
      action: null,
      error,
    };
  });
}

/**
 * Send the waiting entries' files one after another (`files[i]` belongs to `entries[i]`),
 * reporting each change of state; a failure is reported in plain words and the next file goes on.
 */
export async function sendUploads(
  entries: readonly Upload[],
  files: readonly File[],
  upload: (file: File) => Promise<UploadResult>,
  onChange: (key: string, change: Partial<Upload>) => void,
  t: TFunction,
  onSent?: (result: UploadResult) => void,
): Promise<void> {
  for (const [index, entry] of entries.entries()) {
    const file = files[index];
    if (entry.state !== "waiting" || !file) continue;
    onChange(entry.key, { state: "sending" });
    try {
      const result = await upload(file);
      onChange(entry.key, { state: "sent", action: result.action });
      onSent?.(result);
    } catch (error) {
      onChange(entry.key, { state: "failed", error: uploadProblem(error, t) });
    }
  }
}

/** The list with one entry changed. */
export function updateUpload(list: readonly Upload[], key: string, change: Partial<Upload>): Upload[] {
  return list.map((upload) => (upload.key === key ? { ...upload, ...change } : upload));
}

/** A file's size the local way, in bytes, kB or MB ("12 kB", "12 千字节"). */
export function formatSize(bytes: number, locale: string): string {
  const [value, unit] =
    bytes < 1024 ? [bytes, "byte"] : bytes < 1024 * 1024 ? [bytes / 1024, "kilobyte"] : [bytes / 1024 ** 2, "megabyte"];
  return formatNumber(value, locale, { style: "unit", unit, unitDisplay: "short", maximumFractionDigits: 1 });
}
