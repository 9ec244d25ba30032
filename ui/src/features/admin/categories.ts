/**
 * The store's categories as the Admin area edits them: the tree (shared categories and the
 * tenant's own), the four changes, and the choices of a parent when adding or moving one.
 */

import { mutationOptions, queryOptions } from "@tanstack/react-query";
import type { ApiClient } from "../../api/client";
import type { Schemas } from "../../api/types";
import { invalidates } from "../../lib/queryClient";

/** A category with its sub-categories; `shared` ones come with the platform and are read-only. */
export type Category = Schemas["CategoryNode"];
export type CategoryCreate = Schemas["CategoryCreate"];
export type CategoryUpdate = Schemas["CategoryUpdate"];

const CATEGORIES = "/api/v1/categories";
const categoryPath = (id: string) => `${CATEGORIES}/${encodeURIComponent(id)}`;

export const categoriesQuery = (client: ApiClient) =>
  queryOptions({
    queryKey: ["admin", "categories"] as const,
    queryFn: ({ signal }) => client.request<Category[]>(CATEGORIES, { signal }),
  });

// The store's tree and filters show the categories too: every change refreshes all that is cached.
export const createCategoryMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (body: CategoryCreate) => client.request<unknown>(CATEGORIES, { method: "POST", json: body }),
    onSuccess: invalidates(),
  });

export const updateCategoryMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: ({ id, body }: { id: string; body: CategoryUpdate }) =>
      client.request<unknown>(categoryPath(id), { method: "PATCH", json: body }),
    onSuccess: invalidates(),
  });

export const deleteCategoryMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: async (category: Category) => {
      await client.request<void>(categoryPath(category.id), { method: "DELETE" });
    },
    onSuccess: invalidates(),
  });

/** A category a new or moved one can go under, with its depth in the tree (0: top level). */
export interface ParentChoice {
  id: string;
  name: string;
  depth: number;
}

/**
 * Every category in tree order, except `moving` and everything under it (a category cannot go
 * under itself or its own sub-categories).
 */
export function parentChoices(tree: readonly Category[], moving: string | null = null): ParentChoice[] {
  const choices: ParentChoice[] = [];
  const walk = (nodes: readonly Category[], depth: number) => {
    for (const node of nodes) {
      if (node.id === moving) continue;
      choices.push({ id: node.id, name: node.name, depth });
      walk(node.children, depth + 1);
    }
  };
  walk(tree, 0);
  return choices;
}

/** How many categories of the tenant's own the tree holds. */
export function ownCount(tree: readonly Category[]): number {
  return tree.reduce((count, node) => count + (node.shared ? 0 : 1) + ownCount(node.children), 0);
}
