/**
 * The store's filters live in the URL (`/store?category=…&tag=…&q=…`): a filtered store can be shared
 * as a link, a reload keeps it and Back undoes the last change. This module reads and writes them.
 */

import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import type { Schemas } from "../../api/types";

/** A category with its sub-categories, as `GET /api/v1/categories` sends it. */
export type CategoryNode = Schemas["CategoryNode"];

/** What the store list is narrowed to; an empty string means "not filtered on this". */
export interface StoreFilter {
  /** Text search (the server forgives typos). */
  q: string;
  /** A category id; its sub-categories are included. */
  category: string;
  /** One tag, matched exactly. */
  tag: string;
}

const KEYS = ["q", "category", "tag"] as const satisfies readonly (keyof StoreFilter)[];

/** The filter a URL's query asks for. */
export function readFilter(params: URLSearchParams): StoreFilter {
  return {
    q: params.get("q")?.trim() ?? "",
    category: params.get("category")?.trim() ?? "",
    tag: params.get("tag")?.trim() ?? "",
  };
}

/** `params` with the filter's keys replaced by `patch` (empty values removed); other keys are kept. */
export function patchParams(params: URLSearchParams, patch: Partial<StoreFilter>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of KEYS) {
    if (!(key in patch)) continue;
    const value = patch[key]?.trim() ?? "";
    if (value) next.set(key, value);
    else next.delete(key);
  }
  return next;
}

/** The store's URL for a filter: `/store?tag=support`, or `/store` when nothing is filtered. */
export function storeHref(filter: Partial<StoreFilter> = {}): string {
  const query = patchParams(new URLSearchParams(), filter).toString();
  return query ? `/store?${query}` : "/store";
}

/**
 * The filter in the URL and a way to change part of it. A change adds a history entry (Back undoes
 * it) unless `replace` is asked for, as the search box does while the person types.
 */
export function useStoreFilter(): [
  StoreFilter,
  (patch: Partial<StoreFilter>, options?: { replace?: boolean }) => void,
] {
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => readFilter(params), [params]);
  const update = useCallback(
    (patch: Partial<StoreFilter>, options: { replace?: boolean } = {}) =>
      setParams((prev) => patchParams(prev, patch), { replace: options.replace ?? false }),
    [setParams],
  );
  return [filter, update];
}

/** The chain of categories from a root down to `id` (empty when the tree has no such category). */
export function categoryPath(tree: readonly CategoryNode[], id: string): CategoryNode[] {
  for (const node of tree) {
    if (node.id === id) return [node];
    const below = categoryPath(node.children, id);
    if (below.length > 0) return [node, ...below];
  }
  return [];
}
