/** RFC 9457 problem documents and the one error type every API call throws. */

export interface ProblemFieldError {
  path: string;
  message: string;
}

/** An API failure: a problem document from the server, or a network/format failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  readonly errors: ProblemFieldError[];

  constructor(init: { status: number; title: string; detail: string; type?: string; errors?: ProblemFieldError[] }) {
    super(init.detail || init.title);
    this.name = "ApiError";
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.type = init.type ?? "about:blank";
    this.errors = init.errors ?? [];
  }
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
  }));
}

/** Build an ApiError from a status and whatever body the server sent (problem JSON or not). */
export function problemFromBody(status: number, statusText: string, body: unknown): ApiError {
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
    });
  }
  const text = typeof body === "string" ? body.trim() : "";
  return new ApiError({
    status,
    title: fallbackTitle,
    detail: text && text.length <= 300 ? text : `The server answered ${status} ${statusText}`.trim(),
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
  return problemFromBody(response.status, response.statusText, body);
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
