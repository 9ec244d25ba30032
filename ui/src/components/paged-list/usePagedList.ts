/**
 * The state behind every "search + filters + paged table" list: the search box (debounced), the
 * filter, the offset, and the page itself, loaded and cached through TanStack Query.
 */

import { keepPreviousData, useQuery, type QueryKey } from "@tanstack/react-query";
import { useEffect, useState, type Dispatch, type SetStateAction } from "react";
import { toApiError, type ApiError } from "../../api/problem";
import type { Page } from "../../api/types";

export const DEFAULT_PAGE_SIZE = 50;
/** Typing pauses this long before the search is sent. */
export const SEARCH_DELAY_MS = 300;

/** What `fetchPage` is asked for. */
export interface PageRequest<F> {
  filter: F;
  /** The trimmed search text; undefined when the box is empty. */
  q: string | undefined;
  limit: number;
  offset: number;
  signal: AbortSignal;
}

export interface PagedListOptions<T, F> {
  /** The cache prefix of this list; the filter, search and offset are appended. Mutations invalidate it. */
  queryKey: QueryKey;
  fetchPage: (request: PageRequest<F>) => Promise<Page<T>>;
  initialFilter: F;
  pageSize?: number;
}

export interface PagedList<T, F> {
  /** The rows of the page shown (the previous page stays while the next one loads). */
  items: T[];
  page: Page<T> | undefined;
  error: ApiError | null;
  /** A request is in flight (first load, next page or refresh). */
  loading: boolean;
  refresh: () => void;
  /** The search box text, as typed. */
  search: string;
  setSearch: (text: string) => void;
  filter: F;
  setFilter: Dispatch<SetStateAction<F>>;
  /** Whether a search or any filter narrows the list ("No match" rather than "None yet"). */
  narrowed: boolean;
  offset: number;
  setOffset: (offset: number) => void;
  pageSize: number;
}

/** `value`, once it has stopped changing for `delayMs` (at once when cleared). */
export function useSettledText(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (value === settled) return;
    const timer = setTimeout(() => setSettled(value), value ? delayMs : 0);
    return () => clearTimeout(timer);
  }, [value, settled, delayMs]);
  return settled;
}

function hasValue(filter: unknown): boolean {
  if (typeof filter !== "object" || filter === null) return Boolean(filter);
  return Object.values(filter).some((value) => value !== undefined && value !== "" && value !== false);
}

/** A searchable, filterable, offset-paged list; a new search or filter starts again at the first page. */
export function usePagedList<T, F>({
  queryKey,
  fetchPage,
  initialFilter,
  pageSize = DEFAULT_PAGE_SIZE,
}: PagedListOptions<T, F>): PagedList<T, F> {
  const [search, setSearch] = useState("");
  const q = useSettledText(search.trim(), SEARCH_DELAY_MS) || undefined;
  const [filter, setFilter] = useState<F>(initialFilter);
  // The offset belongs to one search and filter: change either and the list is back at its start.
  const where = JSON.stringify([filter, q ?? ""]);
  const [position, setPosition] = useState({ where, offset: 0 });
  const offset = position.where === where ? position.offset : 0;

  const result = useQuery({
    queryKey: [...queryKey, { filter, q, limit: pageSize, offset }],
    queryFn: ({ signal }) => fetchPage({ filter, q, limit: pageSize, offset, signal }),
    placeholderData: keepPreviousData,
  });
  const { refetch } = result;

  return {
    items: result.data?.items ?? [],
    page: result.data,
    error: result.error && toApiError(result.error),
    loading: result.isFetching,
    refresh: () => void refetch(),
    search,
    setSearch,
    filter,
    setFilter,
    narrowed: q !== undefined || hasValue(filter),
    offset,
    setOffset: (next) => setPosition({ where, offset: next }),
    pageSize,
  };
}
