/**
 * The diff's changes as a person reads them: grouped node by node, then the definition's edges
 * whose values changed, then the state schema, then the version's other settings (template
 * parameters, system prompt…); each change a path and its old and new values, shortened. Pure;
 * `ChangeList.tsx` renders it. What the canvas already shows (nodes and edges added or removed,
 * a node moved) and what repeats the graph's own lists is not listed twice.
 */

import type { AgentGraph } from "./api";
import type { JsonChange, VersionDiff } from "./graphDiff";

/** A value as shown: shortened on one line, and in full when that was too long. */
export interface ValueText {
  text: string;
  full: string;
  truncated: boolean;
}

export interface ChangeRow {
  /** The JSON pointer's segments, unescaped (`/config/system_prompt` → ["config", "system_prompt"]). */
  path: string[];
  op: JsonChange["op"];
  /** Null when the value was absent (added) or is now (removed). */
  old: ValueText | null;
  new: ValueText | null;
}

export type ChangeGroupKind = "node" | "edge" | "state" | "settings";

export interface ChangeGroup {
  kind: ChangeGroupKind;
  /** Unique among the groups (a node's name for a node). */
  id: string;
  /** A node's name, an edge's "source → targets"; empty for state and settings. */
  title: string;
  rows: ChangeRow[];
}

/** How long a value may be on its line. */
export const SHORT_VALUE = 80;

/** The unescaped segments of a JSON pointer (RFC 6901: `~1` is "/", `~0` is "~"). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return [];
  return pointer
    .replace(/^\//, "")
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function shorten(text: string, max: number): string {
  const chars = Array.from(text); // by code point: never half a character
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}

/**
 * A value on one line: a string as it is (whitespace folded), anything else as compact JSON;
 * `full` keeps a string's line breaks and indents JSON. Null when there is no value at all.
 */
export function formatValue(value: unknown, max = SHORT_VALUE): ValueText | null {
  if (value === undefined) return null;
  if (typeof value === "string") {
    if (value === "") return { text: '""', full: '""', truncated: false };
    const line = value.replace(/\s+/g, " ").trim();
    const text = shorten(line, max);
    return { text, full: value, truncated: text !== value };
  }
  const compact = JSON.stringify(value) ?? String(value);
  const text = shorten(compact, max);
  return { text, full: text === compact ? compact : JSON.stringify(value, null, 2), truncated: text !== compact };
}

function row(change: JsonChange, prefix = 0): ChangeRow {
  return {
    path: pointerSegments(change.path).slice(prefix),
    op: change.op,
    old: change.op === "added" ? null : formatValue(change.old),
    new: change.op === "removed" ? null : formatValue(change.new),
  };
}

/**
 * Changes listed elsewhere or of no interest to a reader: the compiled definition's nodes, edges
 * and state (the graph's own lists), the saved definition (compiled again above) and the plan hash.
 */
function isSetting(change: JsonChange): boolean {
  const [field, part] = pointerSegments(change.path);
  if (field === "workflow_definition" || field === "plan_hash") return false;
  if (field === "compiled_definition") return part !== "nodes" && part !== "edges" && part !== "state";
  return true;
}

/** "router → approve, __end__": an edge of the definition by its index, as `graph` draws it. */
function edgeTitle(graph: AgentGraph | null, group: number): string {
  const drawn = graph?.edges.filter((e) => e.group === group) ?? [];
  if (drawn.length === 0) return `#${group + 1}`;
  return `${drawn[0]!.source} → ${drawn.map((e) => e.target).join(", ")}`;
}

/**
 * The groups of changes in reading order. `to` (the newer graph) names the edges whose values
 * changed; without it an edge is named by its number.
 */
export function changeGroups(diff: VersionDiff, to: AgentGraph | null = null): ChangeGroup[] {
  const groups: ChangeGroup[] = diff.graph.nodes_changed.map((node) => ({
    kind: "node",
    id: `node:${node.name}`,
    title: node.name,
    rows: node.changes.map((change) => row(change)),
  }));
  const byEdge = new Map<number, JsonChange[]>();
  for (const change of diff.changes) {
    const match = /^\/compiled_definition\/edges\/(\d+)\//.exec(change.path);
    if (!match) continue;
    const index = Number(match[1]);
    byEdge.set(index, [...(byEdge.get(index) ?? []), change]);
  }
  for (const [index, changes] of [...byEdge.entries()].sort(([a], [b]) => a - b)) {
    groups.push({
      kind: "edge",
      id: `edge:${index}`,
      title: edgeTitle(to, index),
      rows: changes.map((change) => row(change, 3)),
    });
  }
  if (diff.graph.state_changes.length) {
    groups.push({ kind: "state", id: "state", title: "", rows: diff.graph.state_changes.map((c) => row(c)) });
  }
  const settings = diff.changes.filter(isSetting);
  if (settings.length) groups.push({ kind: "settings", id: "settings", title: "", rows: settings.map((c) => row(c)) });
  return groups;
}

/** Whether the two versions differ in anything a person is shown. */
export function hasChanges(diff: VersionDiff): boolean {
  const g = diff.graph;
  const structure = g.nodes_added.length + g.nodes_removed.length + g.edges_added.length + g.edges_removed.length;
  return structure > 0 || changeGroups(diff).length > 0;
}
