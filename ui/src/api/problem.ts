/** RFC 9457 problem documents and the one error type every API call throws. */

import type { components } from "./schema.gen";

/**
 * One field's error in a problem document. Hand-written: the server inlines its problem schema
 * in every error response, so the generated types have no named schema for it. `message` is
 * English; definition problems also carry a stable `code` and the `params` the message names,
 * which the `problems` namespace turns into the reader's language (lib/problemText).
 */
export interface ProblemFieldError {
  path: string;
  message: string;
  code?: ProblemCode;
  params?: Record<string, unknown>;
}

/** What kind of problem a definition check found (`node.unreachable`, `schema.required`, …). */
export type ProblemCode = components["schemas"]["ProblemCode"];

/** An API failure: a problem document from the server, or a network/format failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  readonly errors: ProblemFieldError[];
  /** Seconds to wait before trying again (429/503 `Retry-After`, else `RateLimit-Reset`); null when not said. */
  readonly retryAfterSeconds: number | null;

  constructor(init: {
    status: number;
    title: string;
    detail: string;
    type?: string;
    errors?: ProblemFieldError[];
    retryAfterSeconds?: number | null;
  }) {
    super(init.detail || init.title);
    this.name = "ApiError";
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.type = init.type ?? "about:blank";
    this.errors = init.errors ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }
}

/**
 * Read a `Retry-After` value: delay-seconds or an HTTP date. Returns whole seconds from `now`
 * (never below 0), or null when the value is missing or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (!Number.isFinite(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** How long a failed response asks the caller to wait: `Retry-After`, else the rate limit's `RateLimit-Reset`. */
export function retryAfterFromHeaders(headers: Headers, now: number = Date.now()): number | null {
  const retry = parseRetryAfter(headers.get("retry-after"), now);
  if (retry !== null) return retry;
  const reset = headers.get("ratelimit-reset") ?? headers.get("x-ratelimit-reset");
  return reset && /^\d+$/.test(reset.trim()) ? Number(reset.trim()) : null;
}

/** Status 0 marks a request that never got an HTTP answer. */
export const NETWORK_ERROR_STATUS = 0;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fieldErrors(value: unknown): ProblemFieldError[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((item) => ({
    path: typeof item.path === "string" ? item.path : "",
    message: typeof item.message === "string" ? item.message : String(item.message ?? ""),
    ...(typeof item.code === "string" ? { code: item.code as ProblemCode } : {}),
    ...(isRecord(item.params) ? { params: item.params } : {}),
  }));
}

/** Build an ApiError from a status and whatever body the server sent (problem JSON or not). */
export function problemFromBody(
  status: number,
  statusText: string,
  body: unknown,
  retryAfterSeconds: number | null = null,
): ApiError {
  const fallbackTitle = statusText || `HTTP ${status}`;
  if (isRecord(body)) {
    const title = typeof body.title === "string" ? body.title : fallbackTitle;
    // FastAPI's default error shape is {detail: "..."} or {detail: [...]}; accept both.
    const detail =
      typeof body.detail === "string"
        ? body.detail
        : Array.isArray(body.detail)
          ? "the request did not match the expected shape"
          : title;
    const errors = body.errors !== undefined ? fieldErrors(body.errors) : fieldErrors(body.detail);
    return new ApiError({
      status,
      title,
      detail,
      type: typeof body.type === "string" ? body.type : undefined,
      errors,
      retryAfterSeconds,
    });
  }
  const text = typeof body === "string" ? body.trim() : "";
  return new ApiError({
    status,
    title: fallbackTitle,
    detail: text && text.length <= 300 ? text : `The server answered ${status} ${statusText}`.trim(),
    retryAfterSeconds,
  });
}

/** Read a failed response's body into an ApiError. Never throws. */
export async function problemFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    const text = await response.text();
    const type = response.headers.get("content-type") ?? "";
    body = type.includes("json") && text ? (JSON.parse(text) as unknown) : text;
  } catch {
    body = null;
  }
  const retry = response.status === 429 || response.status === 503 ? retryAfterFromHeaders(response.headers) : null;
  return problemFromBody(response.status, response.statusText, body, retry);
}

/** Turn anything thrown by fetch (or by our code) into an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError({
    status: NETWORK_ERROR_STATUS,
    title: "Network error",
    detail: `Could not reach the server (${message}).`,
  });
}
