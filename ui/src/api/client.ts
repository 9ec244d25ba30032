/**
 * The HTTP client: JSON in and out, bearer auth, one token refresh on expiry or 401,
 * and every failure turned into an ApiError.
 */

import { ApiError, problemFromResponse, toApiError } from "./problem";
import type { StoredTokens, TokenStore } from "./tokens";
import type { TokenPair } from "./types";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  fetch: FetchLike;
  tokens: TokenStore;
  /** Called once when the session cannot be renewed; the app shows the login page. */
  onSessionExpired?: () => void;
  now?: () => number;
  /** Refresh when the access token expires within this many milliseconds. */
  refreshMarginMs?: number;
}

export interface RequestOptions {
  method?: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  /** A multipart body (file uploads); the browser sets its content type with the boundary. */
  form?: FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send the bearer token (default true). */
  auth?: boolean;
}

export interface JsonResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

const REFRESH_PATH = "/api/auth/refresh";

/** Append query parameters, skipping undefined and empty values. */
export function withQuery(path: string, query?: RequestOptions["query"]): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes("?") ? "&" : "?"}${text}` : path;
}

export class ApiClient {
  private refreshing: Promise<StoredTokens> | null = null;
  private readonly now: () => number;
  private readonly refreshMarginMs: number;

  constructor(private readonly options: ApiClientOptions) {
    this.now = options.now ?? Date.now;
    this.refreshMarginMs = options.refreshMarginMs ?? 60_000;
  }

  /** A JSON request; resolves to the parsed body of a 2xx answer. */
  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.requestFull<T>(path, options)).data;
  }

  /** A JSON request; resolves to status, headers and parsed body of a 2xx answer. */
  async requestFull<T>(path: string, options: RequestOptions = {}): Promise<JsonResponse<T>> {
    const response = await this.send(path, { ...options, headers: { Accept: "application/json", ...options.headers } });
    let data: unknown = undefined;
    if (response.status !== 204) {
      const text = await response.text().catch(() => "");
      if (text) {
        try {
          data = JSON.parse(text) as unknown;
        } catch {
          throw new ApiError({
            status: response.status,
            title: "Unreadable response",
            detail: "The server sent a response that is not JSON.",
          });
        }
      }
    }
    return { status: response.status, headers: response.headers, data: data as T };
  }

  /** Open a streaming request (SSE); resolves to the 2xx response with its unread body. */
  async stream(path: string, options: RequestOptions = {}): Promise<Response> {
    return this.send(path, { ...options, headers: { Accept: "text/event-stream", ...options.headers } });
  }

  /** Any request whose 2xx body the caller reads itself (downloads); set `Accept` in the headers. */
  async raw(path: string, options: RequestOptions = {}): Promise<Response> {
    return this.send(path, options);
  }

  /** Send a request; with auth, refresh the token first if it is about to expire and once after a 401. */
  private async send(path: string, options: RequestOptions): Promise<Response> {
    const auth = options.auth ?? true;
    if (!auth) return this.fetchOk(path, options, null);
    let token = await this.validAccessToken();
    let response = await this.fetchRaw(path, options, token);
    if (response.status === 401) {
      const current = this.options.tokens.get();
      // Another call may already have renewed the token while this one was in flight.
      token = current && current.accessToken !== token ? current.accessToken : (await this.refresh()).accessToken;
      response = await this.fetchRaw(path, options, token);
      if (response.status === 401) {
        const problem = await problemFromResponse(response);
        this.expire();
        throw problem;
      }
    }
    if (!response.ok) throw await problemFromResponse(response);
    return response;
  }

  private async fetchOk(path: string, options: RequestOptions, token: string | null): Promise<Response> {
    const response = await this.fetchRaw(path, options, token);
    if (!response.ok) throw await problemFromResponse(response);
    return response;
  }

  private async fetchRaw(path: string, options: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (token) headers.Authorization = `Bearer ${token}`;
    const init: RequestInit = { method: options.method ?? (options.json === undefined ? "GET" : "POST"), headers };
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
      init.body = options.form;
    }
    if (options.signal) init.signal = options.signal;
    try {
      return await this.options.fetch(withQuery(path, options.query), init);
    } catch (error) {
      if (options.signal?.aborted) throw error; // let callers see their own abort
      throw toApiError(error);
    }
  }

  private async validAccessToken(): Promise<string> {
    const tokens = this.options.tokens.get();
    if (!tokens) {
      this.expire();
      throw new ApiError({ status: 401, title: "Authentication required", detail: "Please log in." });
    }
    if (tokens.expiresAt - this.now() > this.refreshMarginMs) return tokens.accessToken;
    return (await this.refresh()).accessToken;
  }

  /** Exchange the refresh token once, however many calls ask at the same time. */
  private refresh(): Promise<StoredTokens> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<StoredTokens> {
    const tokens = this.options.tokens.get();
    if (!tokens) {
      this.expire();
      throw new ApiError({ status: 401, title: "Authentication required", detail: "Please log in." });
    }
    const response = await this.fetchRaw(REFRESH_PATH, { json: { refresh_token: tokens.refreshToken } }, null);
    if (!response.ok) {
      const problem = await problemFromResponse(response);
      // Refresh tokens are single use: any client error means the session is over.
      if (response.status >= 400 && response.status < 500) {
        this.expire();
        throw new ApiError({
          status: 401,
          title: problem.title,
          detail: "Your session has ended. Please log in again.",
        });
      }
      throw problem;
    }
    const pair = (await response.json()) as TokenPair;
    return this.options.tokens.set(pair);
  }

  private expire(): void {
    this.options.tokens.clear();
    this.options.onSessionExpired?.();
  }
}
