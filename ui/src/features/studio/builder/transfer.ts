/**
 * A definition as a JSON file: export writes it as saved; import reads a definition (or a
 * version holding one under `workflow_definition`) and refuses what is not one, saying why, so a
 * bad file changes nothing. Whether the graph is valid is the server's check, run after import.
 */

import type { Edge, NodeSpec, WorkflowDefinition } from "./definition";

/** Why a text is not a definition; each reason has a translated message (`import.errors.*`). */
export type ImportError = "json" | "notObject" | "nodes" | "node" | "edges" | "edge" | "state";

export type ImportResult = { ok: true; definition: WorkflowDefinition } | { ok: false; error: ImportError };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The definition as a file's text: indented JSON, the IR's field order. */
export function exportDefinition(definition: WorkflowDefinition): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}

/** A file name for the export: the graph's name made safe, else `workflow`. */
export function exportFileName(definition: WorkflowDefinition): string {
  const base = (definition.name ?? "")
    .trim()
    .replace(/[^\p{L}\p{N}_-]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return `${base || "workflow"}.json`;
}

function isNode(value: unknown): value is NodeSpec {
  return isRecord(value) && typeof value.name === "string" && typeof value.type === "string";
}

function isEdge(value: unknown): boolean {
  return isRecord(value) && typeof value.source === "string";
}

/** Read an imported text. Edges without a `type` are normal ones, as the IR reads them. */
export function parseImport(text: string): ImportResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: "json" };
  }
  if (isRecord(raw) && isRecord(raw.workflow_definition)) raw = raw.workflow_definition;
  if (!isRecord(raw)) return { ok: false, error: "notObject" };
  if (!Array.isArray(raw.nodes)) return { ok: false, error: "nodes" };
  if (!raw.nodes.every(isNode)) return { ok: false, error: "node" };
  if (raw.edges !== undefined && !Array.isArray(raw.edges)) return { ok: false, error: "edges" };
  const edges = (raw.edges ?? []) as unknown[];
  if (!edges.every(isEdge)) return { ok: false, error: "edge" };
  if (raw.state !== undefined && !isRecord(raw.state)) return { ok: false, error: "state" };
  const nodes = (raw.nodes as NodeSpec[]).map((node) => ({
    ...node,
    config: isRecord(node.config) ? node.config : {},
  }));
  const definition = {
    ...raw,
    state: (raw.state ?? {}) as WorkflowDefinition["state"],
    nodes,
    edges: edges.map((edge) => ({ type: "normal", ...(edge as object) }) as Edge),
  } as WorkflowDefinition;
  return { ok: true, definition };
}
