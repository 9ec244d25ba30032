/**
 * The debugger's server side: where a paused run stands (`GET …/debug`), editing its state
 * (`PUT …/state`), one superstep (`POST …/step`), continue and stop (the run controls).
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ApiClient } from "../../api/client";
import { controlRun } from "../../api/executions";
import type { Schemas } from "../../api/types";
import { useServices } from "../../app/context";
import type { RunState } from "./stateEdit";

/** A debugged run as it stands: paused at a breakpoint or not, its step and its whole state. */
export type DebugView = Schemas["DebugView"];

const executionPath = (id: string) => `/api/v1/executions/${encodeURIComponent(id)}`;

export function getDebugView(client: ApiClient, executionId: string, signal?: AbortSignal): Promise<DebugView> {
  return client.request<DebugView>(`${executionPath(executionId)}/debug`, { signal });
}

/** Set state keys of a paused run; answers the run as it stands after the edit (422 per key, 409 not paused). */
export function editRunState(client: ApiClient, executionId: string, state: RunState): Promise<DebugView> {
  return client.request<DebugView>(`${executionPath(executionId)}/state`, { method: "PUT", json: { state } });
}

/** Run one superstep of a paused run; it pauses again after it (202; the stream tells). */
export async function stepRun(client: ApiClient, executionId: string): Promise<void> {
  await client.request<void>(`${executionPath(executionId)}/step`, { method: "POST" });
}

export const debugViewKey = (executionId: string | null) => ["execution-debug", executionId] as const;

/**
 * The debug view of a run while it is paused (`paused`: the stream says so). Read afresh at
 * each pause: the query is enabled only then, and stale at once, so the next pause reads again.
 */
export function useDebugView(executionId: string | null, paused: boolean) {
  const { client } = useServices();
  return useQuery({
    queryKey: debugViewKey(executionId),
    queryFn: ({ signal }) => getDebugView(client, executionId!, signal),
    enabled: executionId !== null && paused,
    staleTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
}

export type DebugCommand = "step" | "resume" | "cancel";

/** Edit the state, and the three ways on: one superstep, continue, stop. */
export function useDebugActions(executionId: string) {
  const { client } = useServices();
  const queries = useQueryClient();
  const edit = useMutation({
    mutationFn: (state: RunState) => editRunState(client, executionId, state),
    onSuccess: (view) => queries.setQueryData(debugViewKey(executionId), view),
  });
  const command = useMutation({
    mutationFn: (what: DebugCommand) =>
      what === "step" ? stepRun(client, executionId) : controlRun(client, executionId, what),
  });
  return { edit, command };
}
