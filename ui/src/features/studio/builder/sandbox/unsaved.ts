/**
 * Whether the canvas still runs as the saved version does: the sandbox runs saved versions
 * only, so any other change is one to save first. Where the nodes sit is not such a change.
 */

import type { WorkflowDefinition } from "../definition";

function withoutPlaces(definition: WorkflowDefinition): string {
  return JSON.stringify({ ...definition, nodes: definition.nodes.map(({ position: _position, ...node }) => node) });
}

/** True when the two definitions differ at most in their nodes' positions. */
export function sameBehaviour(a: WorkflowDefinition, b: WorkflowDefinition): boolean {
  return a === b || withoutPlaces(a) === withoutPlaces(b);
}
