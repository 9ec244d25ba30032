/**
 * "Run again from here": the API call that starts a new run of an ended one from a node task,
 * and the pure reading of the optional state edit a person typed before it.
 */

import type { ApiClient } from "../../api/client";
import type { Schemas } from "../../api/types";

export type RerunRequest = Schemas["RerunRequest"];
/** The new run, linked to the run it runs again, with the tasks whose recorded outputs it reuses. */
export type RerunResult = Schemas["RerunResult"];

/** Start a new run of an ended one from `body.task_id` (201; 409 while the run goes on, 422 for a bad state edit). */
export function rerunFrom(client: ApiClient, executionId: string, body: RerunRequest): Promise<RerunResult> {
  return client.request<RerunResult>(`/api/v1/executions/${encodeURIComponent(executionId)}/rerun`, {
    method: "POST",
    json: body,
  });
}

/** The edited state as typed: the keys to send (null: nothing changed), or why it cannot be read. */
export type StateEdit =
  | { ok: true; state: Record<string, unknown> | null }
  | { ok: false; problem: "notJson"; message: string }
  | { ok: false; problem: "notObject" };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The state as the editor shows it first: the recorded input of the task, pretty-printed. */
export function stateText(inputState: unknown): string {
  return JSON.stringify(isObject(inputState) ? inputState : {}, null, 2);
}

/**
 * Read the editor's text against the task's recorded input state. Only keys whose value differs
 * (or that are new) are sent: an edit sets keys as given, not through their reducers, so sending
 * an unchanged key would still overwrite it, and keys outside the agent's schema would be refused.
 */
export function readStateEdit(text: string, inputState: unknown): StateEdit {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: "notJson", message: error instanceof Error ? error.message : String(error) };
  }
  if (!isObject(parsed)) return { ok: false, problem: "notObject" };
  const before = isObject(inputState) ? inputState : {};
  const changed = Object.entries(parsed).filter(
    ([key, value]) => !(key in before) || JSON.stringify(value) !== JSON.stringify(before[key]),
  );
  return { ok: true, state: changed.length > 0 ? Object.fromEntries(changed) : null };
}

/** The request body: the task, and the state edit only when there is one. */
export function rerunBody(taskId: string, state: Record<string, unknown> | null): RerunRequest {
  return state ? { task_id: taskId, state } : { task_id: taskId };
}
