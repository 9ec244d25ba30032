/**
 * The builder's edits as pure functions from one definition to the next. Each returns a new
 * definition (the argument is never changed) and keeps every node and edge it does not touch
 * as the same object, so the problems of the last check can still be found on them.
 *
 * Node names are what edges refer to: renaming, deleting and pasting nodes rewrite the edges
 * that name them. A conditional or fan-out edge is one IR edge with several targets.
 */

import {
  END,
  START,
  edgeTargets,
  type ConditionalEdge,
  type Edge,
  type FanoutEdge,
  type NodeSpec,
  type WorkflowDefinition,
} from "./definition";

export interface Point {
  x: number;
  y: number;
}

/** The kinds of edge a person picks from. */
export type EdgeKind = Edge["type"];

/** Copied nodes and the edges between them. */
export interface Clipboard {
  nodes: NodeSpec[];
  edges: Edge[];
}

const NAME_LIMIT = 100;

/** A name the IR accepts built from a node type: a letter first, then letters, digits, `_` or `-`. */
export function nameBase(type: string): string {
  const cleaned = type.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, NAME_LIMIT);
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `node_${cleaned}`;
}

/** `base_1`, `base_2`, … the first one not taken (a trailing `_<n>` of `base` is counted on from). */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  const stem = base.replace(/_\d+$/, "") || "node";
  for (let i = 1; ; i++) {
    const name = `${stem}_${i}`;
    if (!taken.has(name)) return name;
  }
}

/** Every name in use, the terminals included. */
export function takenNames(definition: WorkflowDefinition): Set<string> {
  return new Set([START, END, ...definition.nodes.map((n) => n.name)]);
}

/** An edge with every node name it holds passed through `rename`. */
export function renameInEdge(edge: Edge, rename: (name: string) => string): Edge {
  if (edge.type === "normal") return { ...edge, source: rename(edge.source), target: rename(edge.target) };
  if (edge.type === "conditional") {
    const mapping = Object.fromEntries(Object.entries(edge.mapping).map(([k, v]) => [k, rename(v)]));
    return {
      ...edge,
      source: rename(edge.source),
      mapping,
      default: edge.default ? rename(edge.default) : edge.default,
    };
  }
  return {
    ...edge,
    source: rename(edge.source),
    ...(edge.targets ? { targets: edge.targets.map(rename) } : {}),
    ...(edge.target ? { target: rename(edge.target) } : {}),
  };
}

function touches(edge: Edge, name: string): boolean {
  return edge.source === name || edgeTargets(edge).includes(name);
}

/** A new node of `type` with a copy of `config`, named after its type; returns its name too. */
export function addNode(
  definition: WorkflowDefinition,
  type: string,
  config: Record<string, unknown>,
  position: Point,
): { definition: WorkflowDefinition; name: string } {
  const name = uniqueName(nameBase(type), takenNames(definition));
  const node: NodeSpec = { name, type, config: structuredClone(config), position: roundPoint(position) };
  return { definition: { ...definition, nodes: [...definition.nodes, node] }, name };
}

/** `from` renamed to `to` in its node and in every edge naming it. */
export function renameNode(definition: WorkflowDefinition, from: string, to: string): WorkflowDefinition {
  if (from === to) return definition;
  const rename = (name: string) => (name === from ? to : name);
  return {
    ...definition,
    nodes: definition.nodes.map((n) => (n.name === from ? { ...n, name: to } : n)),
    edges: definition.edges.map((e) => (touches(e, from) ? renameInEdge(e, rename) : e)),
  };
}

/** The node called `name` replaced by `next` (the inspector's change); a new name is carried to the edges. */
export function updateNode(definition: WorkflowDefinition, name: string, next: NodeSpec): WorkflowDefinition {
  const index = definition.nodes.findIndex((n) => n.name === name);
  if (index < 0) return definition;
  const renamed = renameNode(definition, name, next.name);
  const nodes = [...renamed.nodes];
  nodes[index] = next;
  return { ...renamed, nodes };
}

function roundPoint(point: Point): Point {
  return { x: Math.round(point.x), y: Math.round(point.y) };
}

/** Nodes moved to new positions (what a drag ends with, or an auto-layout). */
export function moveNodes(definition: WorkflowDefinition, positions: ReadonlyMap<string, Point>): WorkflowDefinition {
  let moved = false;
  const nodes = definition.nodes.map((node) => {
    const point = positions.get(node.name);
    if (!point) return node;
    const rounded = roundPoint(point);
    if (node.position && node.position.x === rounded.x && node.position.y === rounded.y) return node;
    moved = true;
    return { ...node, position: rounded };
  });
  return moved ? { ...definition, nodes } : definition;
}

/** An outcome name for a new branch to `target`, not yet used by `mapping`. */
export function outcomeFor(target: string, mapping: Readonly<Record<string, string>>): string {
  const base = target === END ? "end" : target;
  if (!(base in mapping)) return base;
  for (let i = 2; ; i++) if (!(`${base}_${i}` in mapping)) return `${base}_${i}`;
}

/**
 * A connection from `source` to `target`. A node that already branches (a conditional edge, or a
 * static fan-out) gets the new target on that edge — a new outcome, or one more parallel target —
 * since a plain edge beside it would run in parallel with the branch; otherwise a normal edge.
 * Connections into the start, out of the end, or already there change nothing.
 */
export function connect(definition: WorkflowDefinition, source: string, target: string): WorkflowDefinition {
  if (source === END || target === START) return definition;
  const outgoing = definition.edges.map((edge, index) => ({ edge, index })).filter((e) => e.edge.source === source);
  if (outgoing.some(({ edge }) => edgeTargets(edge).includes(target))) return definition;
  const branch = outgoing.find(
    ({ edge }) => edge.type === "conditional" || (edge.type === "fanout" && edge.targets != null),
  );
  if (branch) {
    const edge = branch.edge;
    const next: Edge =
      edge.type === "conditional"
        ? { ...edge, mapping: { ...edge.mapping, [outcomeFor(target, edge.mapping)]: target } }
        : { ...(edge as FanoutEdge), targets: [...((edge as FanoutEdge).targets ?? []), target] };
    return replaceEdge(definition, branch.index, next);
  }
  return { ...definition, edges: [...definition.edges, { type: "normal", source, target }] };
}

/** The edge at `index` replaced (an edit in the edge panel). */
export function replaceEdge(definition: WorkflowDefinition, index: number, edge: Edge): WorkflowDefinition {
  if (!definition.edges[index] || definition.edges[index] === edge) return definition;
  const edges = [...definition.edges];
  edges[index] = edge;
  return { ...definition, edges };
}

/** The edge at `index` removed. */
export function removeEdge(definition: WorkflowDefinition, index: number): WorkflowDefinition {
  if (!definition.edges[index]) return definition;
  return { ...definition, edges: definition.edges.filter((_, i) => i !== index) };
}

/** An edge without the targets in `gone`; null when nothing would be left of it. */
function withoutTargets(edge: Edge, gone: ReadonlySet<string>): Edge | null {
  if (gone.has(edge.source)) return null;
  if (edge.type === "normal") return gone.has(edge.target) ? null : edge;
  if (edge.type === "conditional") {
    const kept = Object.entries(edge.mapping).filter(([, target]) => !gone.has(target));
    const fallback = edge.default && gone.has(edge.default) ? null : (edge.default ?? null);
    if (kept.length === Object.keys(edge.mapping).length && fallback === (edge.default ?? null)) return edge;
    if (kept.length === 0 && !fallback) return null;
    return { ...edge, mapping: Object.fromEntries(kept), default: fallback };
  }
  if (edge.targets) {
    const targets = edge.targets.filter((t) => !gone.has(t));
    if (targets.length === edge.targets.length) return edge;
    return targets.length ? { ...edge, targets } : null;
  }
  return edge.target && gone.has(edge.target) ? null : edge;
}

/** One drawn branch of an edge removed: the whole edge when it was its only target. */
export function removeEdgeTarget(definition: WorkflowDefinition, index: number, target: string): WorkflowDefinition {
  const edge = definition.edges[index];
  if (!edge) return definition;
  const rest = withoutTargets(edge, new Set([target]));
  return rest ? replaceEdge(definition, index, rest) : removeEdge(definition, index);
}

/** Nodes deleted with every edge, outcome and target that touched them. */
export function deleteNodes(definition: WorkflowDefinition, names: Iterable<string>): WorkflowDefinition {
  const gone = new Set(names);
  if (!definition.nodes.some((n) => gone.has(n.name))) return definition;
  return {
    ...definition,
    nodes: definition.nodes.filter((n) => !gone.has(n.name)),
    edges: definition.edges.flatMap((edge) => {
      const rest = withoutTargets(edge, gone);
      return rest ? [rest] : [];
    }),
  };
}

/** What is selected on the canvas: nodes by name, and at most one edge by index. */
export interface Selection {
  nodes: string[];
  edge: number | null;
}

export const NOTHING_SELECTED: Selection = { nodes: [], edge: null };

/** The selected nodes and edge deleted (the Delete key and button). */
export function deleteSelection(definition: WorkflowDefinition, selection: Selection): WorkflowDefinition {
  const withoutEdge = selection.edge !== null ? removeEdge(definition, selection.edge) : definition;
  return deleteNodes(withoutEdge, selection.nodes);
}

/**
 * An edge of another kind with the same source. `focus` is the branch a person clicked: a plain
 * edge keeps that target alone. A conditional names each target as an outcome (to be renamed);
 * a fan-out runs every target. An edge already of that kind is returned as it is.
 */
export function setEdgeKind(edge: Edge, kind: EdgeKind, focus?: string): Edge {
  if (edge.type === kind) return edge;
  const targets = edgeTargets(edge);
  if (kind === "normal") return { type: "normal", source: edge.source, target: focus ?? targets[0] ?? END };
  if (kind === "conditional") {
    const mapping: Record<string, string> = {};
    for (const target of targets) mapping[outcomeFor(target, mapping)] = target;
    return { type: "conditional", source: edge.source, condition: "", mapping, default: null };
  }
  return { type: "fanout", source: edge.source, targets: targets.length ? targets : [END] };
}

/**
 * A fan-out switched between static targets (`targets`) and one run of `target` per item of
 * the list `over` (LangGraph's Send). What does not fit the new form is dropped.
 */
export function setFanoutMode(edge: FanoutEdge, dynamic: boolean): FanoutEdge {
  const targets = edgeTargets(edge);
  if (dynamic) {
    if (edge.targets == null) return edge;
    return { type: "fanout", source: edge.source, target: targets[0] ?? END, over: "", item_key: "item", include: [] };
  }
  if (edge.targets != null) return edge;
  return { type: "fanout", source: edge.source, targets: targets.length ? targets : [END] };
}

/**
 * A conditional edge's outcome renamed. Refused (null) when the new name is empty or already an
 * outcome: two rows with one name would collapse into one.
 */
export function renameOutcome(edge: ConditionalEdge, from: string, to: string): ConditionalEdge | null {
  if (from === to) return edge;
  if (!to || to in edge.mapping || !(from in edge.mapping)) return null;
  const mapping = Object.fromEntries(Object.entries(edge.mapping).map(([k, v]) => [k === from ? to : k, v]));
  return { ...edge, mapping };
}

/** The named nodes and the edges (or the branches of edges) that stay between them. */
export function copyNodes(definition: WorkflowDefinition, names: Iterable<string>): Clipboard {
  const chosen = new Set(names);
  const nodes = definition.nodes.filter((n) => chosen.has(n.name));
  const outside = new Set([START, END, ...definition.nodes.filter((n) => !chosen.has(n.name)).map((n) => n.name)]);
  const edges = definition.edges.flatMap((edge) => {
    if (!chosen.has(edge.source)) return [];
    const inside = withoutTargets(edge, outside);
    return inside ? [structuredClone(inside)] : [];
  });
  return { nodes: structuredClone(nodes), edges };
}

/**
 * Copied nodes added again under new unique names, moved by `offset`, with their edges renamed
 * alike. Returns the names given, so the pasted nodes can be selected.
 */
export function pasteNodes(
  definition: WorkflowDefinition,
  clipboard: Clipboard,
  offset: Point = { x: 40, y: 40 },
): { definition: WorkflowDefinition; names: string[] } {
  const taken = takenNames(definition);
  const renames = new Map<string, string>();
  for (const node of clipboard.nodes) {
    const name = uniqueName(node.name, taken);
    taken.add(name);
    renames.set(node.name, name);
  }
  const rename = (name: string) => renames.get(name) ?? name;
  const nodes = clipboard.nodes.map((node) => ({
    ...structuredClone(node),
    name: rename(node.name),
    position: node.position ? roundPoint({ x: node.position.x + offset.x, y: node.position.y + offset.y }) : null,
  }));
  const edges = clipboard.edges.map((edge) => renameInEdge(structuredClone(edge), rename));
  return {
    definition: { ...definition, nodes: [...definition.nodes, ...nodes], edges: [...definition.edges, ...edges] },
    names: nodes.map((n) => n.name),
  };
}

/** The graph's own fields (name, description, limits, inputs, output, state) changed. */
export function setGraphFields(
  definition: WorkflowDefinition,
  patch: Partial<Omit<WorkflowDefinition, "nodes" | "edges">>,
): WorkflowDefinition {
  return { ...definition, ...patch };
}

/**
 * A state key added (the "declare it" fix of a problem naming an undeclared key), with a null
 * default, so reading it before anything writes it is not a problem either; kept if it exists.
 */
export function declareStateKey(definition: WorkflowDefinition, key: string): WorkflowDefinition {
  if (key in definition.state) return definition;
  return { ...definition, state: { ...definition.state, [key]: { type: "any", reducer: "replace", default: null } } };
}

/** A state key given a null default (the fix for a key that is read but that nothing writes). */
export function giveStateKeyDefault(definition: WorkflowDefinition, key: string): WorkflowDefinition {
  const existing = definition.state[key];
  if (!existing || "default" in existing) return definition;
  return { ...definition, state: { ...definition.state, [key]: { ...existing, default: null } } };
}
