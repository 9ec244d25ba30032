/**
 * Token budgets per agent and per user (under the tenant's quota) and the runs waiting for one:
 * the calls, their cache keys and what a change makes stale.
 */

import { mutationOptions, queryOptions } from "@tanstack/react-query";
import type { ApiClient } from "../../api/client";
import type { Schemas } from "../../api/types";
import { invalidates } from "../../lib/queryClient";

export type BudgetsReport = Schemas["BudgetsReport"];
export type Budget = Schemas["BudgetPublic"];
export type BudgetWaitRun = Schemas["BudgetWaitPublic"];
export type BudgetChange = Schemas["BudgetChange"];
export type BudgetScope = Budget["scope"];

export const budgetKeys = {
  all: ["admin", "budgets"] as const,
  report: ["admin", "budgets", "report"] as const,
  waiting: ["admin", "budgets", "waiting"] as const,
};

/** Waiting runs go on by themselves: look again now and then while the panel is open. */
const REFRESH_MS = 15_000;

/** Where a subject's budget is set. */
export function budgetPath(scope: BudgetScope, subjectId: string): string {
  const id = encodeURIComponent(subjectId);
  if (scope === "agent") return `/api/v1/budgets/agents/${id}`;
  if (scope === "user") return `/api/v1/budgets/users/${id}`;
  return `/api/v1/budgets/users/${id}/personal`;
}

export const budgetsQuery = (client: ApiClient) =>
  queryOptions({
    queryKey: budgetKeys.report,
    queryFn: ({ signal }) => client.request<BudgetsReport>("/api/v1/budgets", { signal }),
    refetchInterval: REFRESH_MS,
  });

export const waitingRunsQuery = (client: ApiClient) =>
  queryOptions({
    queryKey: budgetKeys.waiting,
    queryFn: ({ signal }) => client.request<BudgetWaitRun[]>("/api/v1/budgets/waiting", { signal }),
    refetchInterval: REFRESH_MS,
  });

/** A new limit (null: none of its own); the waiting runs it wakes leave the list. */
export const setBudgetMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: ({ scope, subjectId, limit }: { scope: BudgetScope; subjectId: string; limit: number | null }) =>
      client.request<BudgetChange>(budgetPath(scope, subjectId), {
        method: "PUT",
        json: { max_tokens_per_month: limit },
      }),
    onSuccess: invalidates(budgetKeys.all),
  });

/** A typed limit: a whole number ≥ 0, "" for none; anything else is not a limit. */
export function parseLimit(text: string): number | null | undefined {
  const trimmed = text.trim().replace(/[,\s_]/g, "");
  if (trimmed === "") return null;
  if (!/^\d+$/.test(trimmed)) return undefined;
  return Number(trimmed);
}
