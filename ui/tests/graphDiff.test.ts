/**
 * The version diff without a DOM: two graphs merged into one drawing (union, each node and edge
 * marked added / removed / changed / unchanged, a node removed and an edge re-targeted, the older
 * graph unknown, nothing published yet, stored positions), the React Flow elements drawn from it,
 * the texts on the canvas, the change list's grouping and its values shortened.
 */

import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { changeGroups, formatValue, hasChanges, pointerSegments } from "../src/run/graph/diffChanges";
import { toDiffFlowEdges, toDiffFlowNodes } from "../src/run/graph/diffFlow";
import { diffEdgeAria, diffEdgeLabel, diffNodeAria, drawnEdgeText, nodeMarkText } from "../src/run/graph/diffLabels";
import { countMarks, mergeGraphs, type DrawnEdge, type VersionDiff } from "../src/run/graph/graphDiff";
import { layoutGraph } from "../src/run/graph/layout";
import { versionPair } from "../src/features/studio/diff/pair";
import { edge, graph, node } from "./helpers/agentGraphs";

const t = i18next.getFixedT("en", "diff");

const line = (source: string, target: string, kind = "normal", label = ""): DrawnEdge => ({
  source,
  target,
  kind,
  label,
});
const diffOf = (graphDiff: Partial<VersionDiff["graph"]>, changes: VersionDiff["changes"] = []): VersionDiff => ({
  from: "1.0.0",
  to: "1.1.0",
  changes,
  graph: {
    nodes_added: [],
    nodes_removed: [],
    nodes_changed: [],
    edges_added: [],
    edges_removed: [],
    state_changes: [],
    ...graphDiff,
  },
});

// v1: start → plan → draft → end.  v2: start → plan → review → end; plan's temperature changed.
const v1 = graph(
  [node("plan"), node("draft")],
  [edge(0, "__start__", "plan"), edge(1, "plan", "draft"), edge(2, "draft", "__end__")],
);
const v2 = graph(
  [node("plan"), node("review", "human")],
  [edge(0, "__start__", "plan"), edge(1, "plan", "review"), edge(2, "review", "__end__")],
);
const v1ToV2 = diffOf(
  {
    nodes_added: ["review"],
    nodes_removed: ["draft"],
    nodes_changed: [{ name: "plan", changes: [{ op: "changed", path: "/config/temperature", old: 0.7, new: 1.2 }] }],
    edges_added: [line("plan", "review"), line("review", "__end__")],
    edges_removed: [line("draft", "__end__"), line("plan", "draft")],
  },
  [
    { op: "changed", path: "/plan_hash", old: "h1", new: "h2" },
    { op: "changed", path: "/compiled_definition/nodes", old: [], new: [] },
    { op: "changed", path: "/workflow_definition/nodes/0/config/temperature", old: 0.7, new: 1.2 },
    { op: "changed", path: "/template_parameters/tone", old: "friendly", new: "formal" },
  ],
);

const marks = (items: { id: string; mark: string }[]) => Object.fromEntries(items.map((i) => [i.id, i.mark]));

describe("merging two versions' graphs", () => {
  it("draws the union: a node removed, one added, one changed, an edge re-targeted", () => {
    const drawing = mergeGraphs(v1, v2, v1ToV2);
    expect(marks(drawing.nodes)).toEqual({
      __start__: "same",
      plan: "changed",
      review: "added",
      __end__: "same",
      draft: "removed",
    });
    expect(drawing.nodes.find((n) => n.id === "plan")?.changes).toBe(1);
    // The removed node keeps its type from the older graph.
    expect(drawing.nodes.find((n) => n.id === "draft")?.type).toBe("llm");
    expect(marks(drawing.edges)).toEqual({
      "normal:__start__->plan": "same",
      "normal:plan->review": "added",
      "normal:review->__end__": "added",
      "normal:plan->draft": "removed",
      "normal:draft->__end__": "removed",
    });
    // Edge ids are unique although v1 and v2 both number an edge 1.
    expect(new Set(drawing.graph.edges.map((e) => e.id)).size).toBe(drawing.graph.edges.length);
    expect(countMarks(drawing).nodes).toEqual({ added: 1, removed: 1, changed: 1, same: 0 });
    expect(countMarks(drawing).edges).toEqual({ added: 2, removed: 2, changed: 0, same: 1 });
    // Every node of the union is placed.
    const layout = layoutGraph(drawing.graph);
    expect([...layout.keys()].sort()).toEqual(["__end__", "__start__", "draft", "plan", "review"]);
  });

  it("draws the removed parts from the diff alone when the older graph is not known", () => {
    const drawing = mergeGraphs(null, v2, v1ToV2);
    expect(marks(drawing.nodes)).toMatchObject({ plan: "changed", review: "added", draft: "removed" });
    // Known only by name: no type.
    expect(drawing.nodes.find((n) => n.id === "draft")?.type).toBe("");
    expect(marks(drawing.edges)).toEqual({
      "normal:__start__->plan": "same",
      "normal:plan->review": "added",
      "normal:review->__end__": "added",
      "normal:draft->__end__": "removed",
      "normal:plan->draft": "removed",
    });
  });

  it("marks a conditional edge changed when one of its outcomes moved to another target", () => {
    const cond = (group: number, target: string, outcomes: string[], is_default = false) =>
      edge(group, "router", target, { kind: "conditional", condition: "route", outcomes, is_default });
    const before = graph(
      [node("router", "router"), node("a"), node("b")],
      [cond(0, "a", ["x", "y"]), cond(0, "b", [], true)],
    );
    const after = graph(
      [node("router", "router"), node("a"), node("b")],
      [cond(0, "a", ["x"]), cond(0, "b", ["y"], true)],
    );
    const diff = diffOf({
      edges_added: [line("router", "b", "conditional", "y")],
      edges_removed: [line("router", "a", "conditional", "y")],
    });
    for (const from of [before, null]) {
      const drawing = mergeGraphs(from, after, diff);
      const byId = new Map(drawing.edges.map((e) => [e.id, e]));
      expect(byId.get("conditional:router->a")).toMatchObject({ mark: "changed", outcomesRemoved: ["y"] });
      expect(byId.get("conditional:router->b")).toMatchObject({ mark: "changed", outcomesAdded: ["y"] });
      expect(diffEdgeLabel(t, byId.get("conditional:router->a")!)).toBe("~ −y");
      expect(diffEdgeLabel(t, byId.get("conditional:router->b")!)).toBe("~ +y");
      expect(diffEdgeAria(t, byId.get("conditional:router->a")!, new Map())).toBe(
        "router to a, conditional edge, changed (−y)",
      );
    }
  });

  it("marks an edge whose condition was rewritten changed, and lists the change under that edge", () => {
    const cond = edge(1, "router", "a", { kind: "conditional", condition: "route2", outcomes: ["x"] });
    const g = graph([node("router", "router"), node("a")], [edge(0, "__start__", "router"), cond]);
    const diff = diffOf({}, [
      { op: "changed", path: "/compiled_definition/edges/1/condition", old: "route", new: "route2" },
    ]);
    const drawing = mergeGraphs(g, g, diff);
    expect(drawing.edges.find((e) => e.id === "conditional:router->a")?.mark).toBe("changed");
    expect(changeGroups(diff, g)).toEqual([
      {
        kind: "edge",
        id: "edge:1",
        title: "router → a",
        rows: [
          {
            path: ["condition"],
            op: "changed",
            old: { text: "route", full: "route", truncated: false },
            new: { text: "route2", full: "route2", truncated: false },
          },
        ],
      },
    ]);
  });

  it("shows everything added when nothing was published", () => {
    const diff: VersionDiff = {
      ...diffOf({
        nodes_added: ["plan", "review"],
        edges_added: [line("__start__", "plan"), line("plan", "review"), line("review", "__end__")],
      }),
      from: null,
    };
    const drawing = mergeGraphs(null, v2, diff);
    expect(marks(drawing.nodes)).toEqual({ __start__: "same", plan: "added", review: "added", __end__: "same" });
    expect(drawing.edges.every((e) => e.mark === "added")).toBe(true);
  });

  it("keeps stored positions unless a removed node would overlap a new one", () => {
    const placed = (a: { x: number; y: number }, b: { x: number; y: number }) =>
      mergeGraphs(
        graph([node("plan", "llm", { x: 0, y: 0 }), node("draft", "llm", a)], []),
        graph([node("plan", "llm", { x: 0, y: 0 }), node("review", "human", b)], []),
        diffOf({ nodes_added: ["review"], nodes_removed: ["draft"] }),
      );
    const apart = placed({ x: 0, y: 200 }, { x: 300, y: 200 });
    expect(apart.nodes.find((n) => n.id === "draft")?.position).toEqual({ x: 0, y: 200 });
    expect(layoutGraph(apart.graph).get("review")).toEqual({ x: 300, y: 200 });
    const onTop = placed({ x: 0, y: 200 }, { x: 10, y: 210 });
    expect(onTop.nodes.every((n) => n.position === null)).toBe(true);
  });
});

describe("the diff drawn with React Flow", () => {
  it("gives each node and edge its mark as a class and in its accessible name", () => {
    const drawing = mergeGraphs(v1, v2, v1ToV2);
    const labels = { node: (n: (typeof drawing.nodes)[number]) => diffNodeAria(t, n), edge: () => "edge" };
    const nodes = toDiffFlowNodes(drawing, layoutGraph(drawing.graph), "plan", labels);
    const plan = nodes.find((n) => n.id === "plan")!;
    expect(plan.className).toContain("diff-flow-node--changed");
    expect(plan.selected).toBe(true);
    expect(plan.ariaLabel).toBe("LLM plan, changed · 1 value");
    expect(nodes.find((n) => n.id === "draft")?.ariaLabel).toBe("LLM draft, removed");
    expect(nodes.find((n) => n.id === "__end__")?.type).toBe("diffTerminal");
    const edges = toDiffFlowEdges(drawing, labels);
    const removed = edges.find((e) => e.id === "normal:plan->draft")!;
    expect(removed.className).toContain("diff-edge--removed");
    expect(removed.zIndex).toBe(0);
    expect(edges.find((e) => e.id === "normal:plan->review")?.className).toContain("diff-edge--added");
  });

  it("writes the mark on nodes and edges in words", () => {
    const drawing = mergeGraphs(v1, v2, v1ToV2);
    const byId = new Map(drawing.nodes.map((n) => [n.id, n]));
    expect(nodeMarkText(t, byId.get("review")!)).toBe("added");
    expect(nodeMarkText(t, byId.get("__start__")!)).toBeNull();
    const edges = new Map(drawing.edges.map((e) => [e.id, e]));
    expect(diffEdgeLabel(t, edges.get("normal:plan->review")!)).toBe("+ added");
    expect(diffEdgeLabel(t, edges.get("normal:__start__->plan")!)).toBeNull();
    expect(drawnEdgeText(t, line("router", "__end__", "conditional", ""))).toBe("Edge router → End (when default)");
    expect(drawnEdgeText(t, line("split", "worker", "fanout", "each items"))).toBe("Edge split → worker (each items)");
  });
});

describe("the change list", () => {
  it("reads JSON pointers with their escapes", () => {
    expect(pointerSegments("/config/a~1b/c~0d")).toEqual(["config", "a/b", "c~d"]);
    expect(pointerSegments("/")).toEqual([]);
  });

  it("shortens values: strings on one line, anything else as JSON, the whole kept", () => {
    expect(formatValue(undefined)).toBeNull();
    expect(formatValue(1.2)).toEqual({ text: "1.2", full: "1.2", truncated: false });
    expect(formatValue(null)).toEqual({ text: "null", full: "null", truncated: false });
    expect(formatValue("")?.text).toBe('""');
    expect(formatValue({ a: [1, 2] })?.text).toBe('{"a":[1,2]}');
    const prompt = `You are a helpful assistant.\n\nAnswer ${"briefly, ".repeat(20)}always.`;
    const shown = formatValue(prompt, 40)!;
    expect(shown.truncated).toBe(true);
    expect(Array.from(shown.text)).toHaveLength(40);
    expect(shown.text).toBe("You are a helpful assistant. Answer bri…");
    expect(shown.full).toBe(prompt);
    const big = formatValue({ items: Array.from({ length: 30 }, (_, i) => i) }, 20)!;
    expect(big.text).toBe('{"items":[0,1,2,3,4…');
    expect(big.full).toContain('\n  "items": [');
  });

  it("lists node by node, then the state, then the version's settings; never what repeats the graph", () => {
    const diff = {
      ...v1ToV2,
      graph: {
        ...v1ToV2.graph,
        state_changes: [{ op: "added" as const, path: "/draft_text", new: { type: "string" } }],
      },
    };
    const groups = changeGroups(diff, v2);
    expect(groups.map((g) => [g.kind, g.title])).toEqual([
      ["node", "plan"],
      ["state", ""],
      ["settings", ""],
    ]);
    expect(groups[0]!.rows).toEqual([
      {
        path: ["config", "temperature"],
        op: "changed",
        old: { text: "0.7", full: "0.7", truncated: false },
        new: { text: "1.2", full: "1.2", truncated: false },
      },
    ]);
    expect(groups[1]!.rows[0]).toMatchObject({ path: ["draft_text"], op: "added", old: null });
    // The plan hash, the saved definition and the compiled nodes are left out.
    expect(groups[2]!.rows.map((r) => r.path)).toEqual([["template_parameters", "tone"]]);
    expect(hasChanges(diff)).toBe(true);
    expect(hasChanges(diffOf({}, [{ op: "changed", path: "/plan_hash", old: "a", new: "b" }]))).toBe(false);
  });
});

describe("the versions compared", () => {
  const versions = [{ id: "v3" }, { id: "v2" }, { id: "v1" }];
  it("defaults to the previous version and the latest; keeps the ones asked for", () => {
    expect(versionPair(versions, null, null)).toEqual({ from: "v2", to: "v3" });
    expect(versionPair(versions, "v1", "v2")).toEqual({ from: "v1", to: "v2" });
    expect(versionPair(versions, "gone", null)).toEqual({ from: "v2", to: "v3" });
    expect(versionPair([{ id: "v1" }], null, null)).toBeNull();
  });
});
