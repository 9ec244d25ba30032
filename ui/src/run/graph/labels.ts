/** What the graph's nodes and edges are called, in the person's language (the `run` catalog). */

import type { EdgeView, NodeView } from "./overlay";

/** `t` of `useTranslation("run")`. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

const KNOWN_TYPES = new Set(["llm", "human", "router", "tool", "rag", "code", "transform"]);

/** A node type's name; an unknown (custom) type shows as it is. */
export function typeLabel(t: Translate, type: string): string {
  return KNOWN_TYPES.has(type) ? t(`types.${type}`) : type;
}

/** A node's visible name: the start and end markers are named in the person's language. */
export function nodeName(t: Translate, node: Pick<NodeView, "role" | "label">): string {
  return node.role === "node" ? node.label : t(`markers.${node.role}`);
}

/** The accessible name of a node: its type, name and state (and how often it ran). */
export function nodeAriaLabel(t: Translate, node: NodeView): string {
  const state = t(`state.${node.state}`);
  if (node.role !== "node") return t("node.markerAria", { name: nodeName(t, node), state });
  const options = { type: typeLabel(t, node.type), name: node.label, state };
  return node.runs.length > 1 ? t("node.ariaRuns", { ...options, count: node.runs.length }) : t("node.aria", options);
}

/** The accessible name of an edge: from, to, kind and whether the run took it. */
export function edgeAriaLabel(t: Translate, edge: EdgeView, names: ReadonlyMap<string, string>): string {
  return t("edge.aria", {
    source: names.get(edge.source) ?? edge.source,
    target: names.get(edge.target) ?? edge.target,
    kind: t(`edge.kind.${edge.kind}`),
    state: t(`edge.state.${edge.state}`),
  });
}

/** The text drawn on an edge: a condition's outcomes, a fan-out, how often it was taken. */
export function edgeLabel(t: Translate, edge: EdgeView): string | null {
  if (edge.kind === "fan_out") return edge.count > 1 ? t("edge.fanOutCount", { count: edge.count }) : t("edge.fanOut");
  const parts: string[] = [];
  if (edge.kind === "conditional") {
    parts.push(...edge.outcomes);
    if (edge.is_default) parts.push(t("edge.default"));
  }
  if (edge.count > 1) parts.push(t("edge.count", { count: edge.count }));
  return parts.length ? parts.join(" · ") : null;
}
