/**
 * Server state through TanStack Query: one client per page. Failed reads are retried only when
 * trying again can help (no answer, 5xx, 429), and a 429/503 waits as long as `Retry-After` says.
 */

import { QueryClient, type MutationFunctionContext, type QueryKey } from "@tanstack/react-query";
import { ApiError, NETWORK_ERROR_STATUS } from "../api/problem";

const MAX_RETRIES = 3;
/** Never wait longer than this inside one query; the page shows the problem instead. */
const MAX_WAIT_MS = 30_000;

/** Whether a failed query should be tried again. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_RETRIES) return false;
  if (!(error instanceof ApiError)) return failureCount < 1;
  if (error.status === 429 || error.status === 503) {
    return error.retryAfterSeconds === null || error.retryAfterSeconds * 1000 <= MAX_WAIT_MS;
  }
  return error.status === NETWORK_ERROR_STATUS || error.status >= 500;
}

/** How long to wait before the next try: the server's `Retry-After`, else exponential backoff. */
export function retryDelay(failureCount: number, error: unknown): number {
  if (error instanceof ApiError && error.retryAfterSeconds !== null) {
    return Math.min(error.retryAfterSeconds * 1000, MAX_WAIT_MS);
  }
  return Math.min(500 * 2 ** failureCount, 8_000);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, retryDelay, staleTime: 15_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/**
 * A mutation's `onSuccess` that marks what it changed stale: every query under `queryKey`, or
 * every query when none is given. What is on screen loads again at once, the rest when next shown;
 * the mutation counts as pending until the refetch is done.
 */
export function invalidates(queryKey?: QueryKey) {
  return (_data: unknown, _variables: unknown, _onMutateResult: unknown, context: MutationFunctionContext) =>
    context.client.invalidateQueries(queryKey ? { queryKey } : undefined);
}
