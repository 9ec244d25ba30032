/**
 * What the diff's nodes and edges say, in the person's language (the `diff` catalog, with the
 * `run` catalog's node types): the words "added", "removed", "changed" are on the canvas and in
 * every accessible name, so colour is never the only cue.
 */

import type { DrawnEdge, DiffEdgeView, DiffMark, DiffNodeView } from "./graphDiff";
import { nodeName, typeLabel, type Translate } from "./labels";

/** `t` of `useTranslation("diff")`; `run:` keys reach the run catalog. */
export type { Translate };

/** "added", "removed", "changed" or "unchanged". */
export function markLabel(t: Translate, mark: DiffMark): string {
  return t(`mark.${mark}`);
}

/** A node's type: the run catalog's name; unknown (a removed node the diff only names) is empty. */
export function diffTypeLabel(t: Translate, type: string): string {
  if (!type) return "";
  return typeLabel((key, options) => t(`run:${key}`, options), type);
}

/** The visible name of a node, the start and end markers named in the person's language. */
export function diffNodeName(t: Translate, node: Pick<DiffNodeView, "role" | "label">): string {
  return nodeName((key, options) => t(`run:${key}`, options), node);
}

/** The word under a node: its mark, and how many values changed. Null for an unchanged node. */
export function nodeMarkText(t: Translate, node: DiffNodeView): string | null {
  if (node.mark === "same") return null;
  if (node.mark === "changed" && node.changes > 0) return t("diff:node.changedCount", { count: node.changes });
  return markLabel(t, node.mark);
}

/** The accessible name of a node: type, name and mark. */
export function diffNodeAria(t: Translate, node: DiffNodeView): string {
  const mark = nodeMarkText(t, node) ?? markLabel(t, "same");
  if (node.role !== "node") return t("diff:node.markerAria", { name: diffNodeName(t, node), mark });
  const type = diffTypeLabel(t, node.type);
  return type
    ? t("diff:node.aria", { type, name: node.label, mark })
    : t("diff:node.ariaUntyped", { name: node.label, mark });
}

/** A conditional outcome as drawn: the default branch by name. */
function outcome(t: Translate, label: string): string {
  return label === "" ? t("run:edge.default") : label;
}

/** What an edge carries besides its mark: a condition's outcomes, a fan-out. */
function edgeParts(t: Translate, edge: DiffEdgeView): string[] {
  if (edge.kind === "fan_out") return [t("run:edge.fanOut")];
  if (edge.kind !== "conditional") return [];
  return [...edge.outcomes, ...(edge.is_default ? [t("run:edge.default")] : [])];
}

/** The mark's sign, drawn before an edge's label (the legend shows the same signs). */
const SIGN: Record<DiffMark, string> = { added: "+", removed: "−", changed: "~", same: "" };

/** What an edge's label says besides its mark; a changed edge, the outcomes it gained and lost. */
function edgeDetail(t: Translate, edge: DiffEdgeView): string[] {
  if (edge.mark === "changed") {
    const gained = edge.outcomesAdded.map((o) => `+${outcome(t, o)}`);
    const lost = edge.outcomesRemoved.map((o) => `−${outcome(t, o)}`);
    if (gained.length || lost.length) return [...gained, ...lost];
  }
  return edgeParts(t, edge);
}

/**
 * The text drawn on an edge: its mark's sign and its outcomes ("+ review"), or the mark's word
 * when it has none ("+ added"); a changed edge says which outcomes it gained and lost
 * ("~ +review · −approve"). Null for an unchanged plain edge.
 */
export function diffEdgeLabel(t: Translate, edge: DiffEdgeView): string | null {
  const detail = edgeDetail(t, edge).join(" · ");
  if (edge.mark === "same") return detail || null;
  return `${SIGN[edge.mark]} ${detail || markLabel(t, edge.mark)}`;
}

/** The accessible name of an edge: from, to, kind, mark and outcomes. */
export function diffEdgeAria(t: Translate, edge: DiffEdgeView, names: ReadonlyMap<string, string>): string {
  const detail = edgeDetail(t, edge).join(" · ");
  const mark = markLabel(t, edge.mark);
  return t("diff:edge.aria", {
    source: names.get(edge.source) ?? edge.source,
    target: names.get(edge.target) ?? edge.target,
    kind: t(`run:edge.kind.${edge.kind}`),
    mark: detail ? `${mark} (${detail})` : mark,
  });
}

/** One line of the diff's graph as the change list names it: "router → approve (review)". */
export function drawnEdgeText(t: Translate, edge: DrawnEdge): string {
  const source = edge.source === "__start__" ? t("run:markers.start") : edge.source;
  const target = edge.target === "__end__" ? t("run:markers.end") : edge.target;
  if (edge.kind === "conditional") {
    return t("diff:edge.conditional", { source, target, outcome: outcome(t, edge.label) });
  }
  if (edge.label) return t("diff:edge.labelled", { source, target, label: edge.label });
  return t("diff:edge.plain", { source, target });
}
