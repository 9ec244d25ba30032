/**
 * The builder's pure edits, history, problem placement, import/export and version numbers:
 * what a person's action does to the definition, checked without a browser.
 */

import { describe, expect, it } from "vitest";
import { builderReducer, initialState, type BuilderState } from "../src/features/studio/builder/builderState";
import {
  edgeTargets,
  emptyDefinition,
  type ConditionalEdge,
  type FanoutEdge,
  type WorkflowDefinition,
} from "../src/features/studio/builder/definition";
import {
  addNode,
  connect,
  copyNodes,
  declareStateKey,
  deleteNodes,
  giveStateKeyDefault,
  deleteSelection,
  moveNodes,
  pasteNodes,
  removeEdgeTarget,
  renameNode,
  renameOutcome,
  setEdgeKind,
  setFanoutMode,
  uniqueName,
  updateNode,
} from "../src/features/studio/builder/edits";
import { selectionAfter } from "../src/features/studio/builder/flow";
import { autoLayout, graphOf, placeUnplaced, terminalPositions } from "../src/features/studio/builder/graph";
import {
  COALESCE_MS,
  canRedo,
  canUndo,
  record,
  redo,
  startHistory,
  undo,
} from "../src/features/studio/builder/history";
import {
  edgeProblems,
  nodeProblems,
  placeProblems,
  pointerParts,
  stateKeyFix,
  stateProblems,
} from "../src/features/studio/builder/problems";
import { exportDefinition, exportFileName, parseImport } from "../src/features/studio/builder/transfer";
import { nextVersion } from "../src/features/studio/builder/versioning";
import { shortcutOf } from "../src/features/studio/builder/useBuilder";

const at = { x: 0, y: 0 };

/** start → llm_1 → router_1 ⇒ (approve: human_1, default: end); human_1 → end. */
function journeyGraph(): WorkflowDefinition {
  let d = emptyDefinition();
  for (const type of ["llm", "router", "human"]) d = addNode(d, type, { k: [1] }, at).definition;
  d = connect(d, "__start__", "llm_1");
  d = connect(d, "llm_1", "router_1");
  d = connect(d, "router_1", "human_1");
  d = connect(d, "human_1", "__end__");
  return d;
}

describe("adding and naming nodes", () => {
  it("names a node after its type, first free number, with a copy of the default config", () => {
    const config = { tools: [] as string[] };
    let d = addNode(emptyDefinition(), "llm", config, { x: 10.4, y: 20.6 }).definition;
    const second = addNode(d, "llm", config, at);
    d = second.definition;
    expect(d.nodes.map((n) => n.name)).toEqual(["llm_1", "llm_2"]);
    expect(second.name).toBe("llm_2");
    expect(d.nodes[0]!.position).toEqual({ x: 10, y: 21 });
    (d.nodes[0]!.config.tools as string[]).push("x");
    expect(config.tools).toEqual([]); // the node type's default stays untouched
  });

  it("finds unique names, counting on from a trailing number", () => {
    expect(uniqueName("llm_1", new Set(["llm_1"]))).toBe("llm_2");
    expect(uniqueName("my-node", new Set(["my-node_1"]))).toBe("my-node_2");
    expect(addNode(emptyDefinition(), "9 lives", {}, at).name).toBe("node_9_lives_1");
  });
});

describe("connecting", () => {
  it("adds a normal edge once, never into the start or out of the end", () => {
    const d = journeyGraph();
    expect(d.edges).toEqual([
      { type: "normal", source: "__start__", target: "llm_1" },
      { type: "normal", source: "llm_1", target: "router_1" },
      { type: "normal", source: "router_1", target: "human_1" },
      { type: "normal", source: "human_1", target: "__end__" },
    ]);
    expect(connect(d, "llm_1", "router_1")).toBe(d);
    expect(connect(d, "__end__", "llm_1")).toBe(d);
    expect(connect(d, "llm_1", "__start__")).toBe(d);
  });

  it("adds a new target to the branch a node already has: an outcome, or a parallel target", () => {
    let d = journeyGraph();
    d = { ...d, edges: d.edges.map((e, i) => (i === 2 ? setEdgeKind(e, "conditional") : e)) };
    d = connect(d, "router_1", "__end__");
    expect(d.edges[2]).toEqual({
      type: "conditional",
      source: "router_1",
      condition: "",
      mapping: { human_1: "human_1", end: "__end__" },
      default: null,
    });
    expect(d.edges).toHaveLength(4);
    let f = journeyGraph();
    f = { ...f, edges: f.edges.map((e, i) => (i === 1 ? setEdgeKind(e, "fanout") : e)) };
    f = connect(f, "llm_1", "human_1");
    expect(f.edges[1]).toEqual({ type: "fanout", source: "llm_1", targets: ["router_1", "human_1"] });
  });
});

describe("edge kinds", () => {
  const normal = { type: "normal" as const, source: "a", target: "b" };

  it("turns a normal edge into a conditional with its target as an outcome, and back", () => {
    const conditional = setEdgeKind(normal, "conditional") as ConditionalEdge;
    expect(conditional).toEqual({
      type: "conditional",
      source: "a",
      condition: "",
      mapping: { b: "b" },
      default: null,
    });
    const two: ConditionalEdge = { ...conditional, mapping: { yes: "b", no: "c" }, default: "__end__" };
    expect(edgeTargets(two)).toEqual(["c", "b", "__end__"]);
    // Back to normal keeps the branch that was clicked.
    expect(setEdgeKind(two, "normal", "c")).toEqual({ type: "normal", source: "a", target: "c" });
    expect(setEdgeKind(two, "fanout")).toEqual({ type: "fanout", source: "a", targets: ["c", "b", "__end__"] });
    expect(setEdgeKind(two, "conditional")).toBe(two);
  });

  it("switches a fan-out between fixed targets and one run per item", () => {
    const fixed: FanoutEdge = { type: "fanout", source: "a", targets: ["b", "c"] };
    const dynamic = setFanoutMode(fixed, true);
    expect(dynamic).toEqual({ type: "fanout", source: "a", target: "b", over: "", item_key: "item", include: [] });
    expect(setFanoutMode(dynamic, false)).toEqual({ type: "fanout", source: "a", targets: ["b"] });
  });

  it("renames an outcome unless the name is empty or taken", () => {
    const edge: ConditionalEdge = { type: "conditional", source: "a", condition: "x", mapping: { a: "b", c: "d" } };
    expect(renameOutcome(edge, "a", "approve")?.mapping).toEqual({ approve: "b", c: "d" });
    expect(renameOutcome(edge, "a", "c")).toBeNull();
    expect(renameOutcome(edge, "a", "")).toBeNull();
  });

  it("removes one drawn branch, or the whole edge with its last branch", () => {
    let d = journeyGraph();
    d = {
      ...d,
      edges: d.edges.map((e, i) =>
        i === 2 ? { ...(setEdgeKind(e, "conditional") as ConditionalEdge), default: "__end__" } : e,
      ),
    };
    const one = removeEdgeTarget(d, 2, "human_1");
    expect(one.edges[2]).toMatchObject({ mapping: {}, default: "__end__" });
    expect(removeEdgeTarget(one, 2, "__end__").edges).toHaveLength(3);
  });
});

describe("renaming, deleting, copying", () => {
  it("rewrites every edge naming a renamed node, leaving other edges as they were", () => {
    let d = journeyGraph();
    d = {
      ...d,
      edges: d.edges.map((e, i) =>
        i === 2 ? { ...(setEdgeKind(e, "conditional") as ConditionalEdge), default: "human_1" } : e,
      ),
    };
    const renamed = renameNode(d, "human_1", "review");
    expect(renamed.nodes[2]!.name).toBe("review");
    expect(renamed.edges[2]).toMatchObject({ mapping: { human_1: "review" }, default: "review" });
    expect(renamed.edges[3]).toMatchObject({ source: "review" });
    expect(renamed.edges[0]).toBe(d.edges[0]);
    const viaInspector = updateNode(d, "llm_1", { ...d.nodes[0]!, name: "chat", description: "talks" });
    expect(viaInspector.nodes[0]).toMatchObject({ name: "chat", description: "talks" });
    expect(viaInspector.edges[1]).toMatchObject({ source: "chat", target: "router_1" });
  });

  it("deletes nodes with the edges and branches that touch them", () => {
    let d = journeyGraph();
    d = connect(d, "router_1", "llm_1");
    d = { ...d, edges: d.edges.map((e, i) => (i === 2 ? setEdgeKind(e, "conditional") : e)) };
    d = connect(d, "router_1", "__end__");
    const without = deleteNodes(d, ["human_1"]);
    expect(without.nodes.map((n) => n.name)).toEqual(["llm_1", "router_1"]);
    // The conditional keeps its other branch; the human's own edge is gone.
    expect(without.edges.find((e) => e.source === "router_1")).toMatchObject({ mapping: { end: "__end__" } });
    expect(without.edges.some((e) => e.source === "human_1")).toBe(false);
    const viaSelection = deleteSelection(journeyGraph(), { nodes: [], edge: 0 });
    expect(viaSelection.edges.map((e) => e.source)).toEqual(["llm_1", "router_1", "human_1"]);
  });

  it("copies nodes with the edges between them and pastes them under new names", () => {
    const d = moveNodes(journeyGraph(), new Map([["llm_1", { x: 100, y: 50 }]]));
    const clipboard = copyNodes(d, ["llm_1", "router_1"]);
    expect(clipboard.nodes.map((n) => n.name)).toEqual(["llm_1", "router_1"]);
    // Only the edge between the two: not the start's, not the one out to human_1.
    expect(clipboard.edges).toEqual([{ type: "normal", source: "llm_1", target: "router_1" }]);
    const pasted = pasteNodes(d, clipboard, { x: 40, y: 40 });
    expect(pasted.names).toEqual(["llm_2", "router_2"]);
    expect(pasted.definition.nodes[3]!.position).toEqual({ x: 140, y: 90 });
    expect(pasted.definition.edges.at(-1)).toEqual({ type: "normal", source: "llm_2", target: "router_2" });
    expect(pasted.definition.nodes[3]!.config).not.toBe(d.nodes[0]!.config);
  });

  it("declares a missing state key once, with a null default; gives an unwritten key a default", () => {
    const d = declareStateKey(emptyDefinition(), "route");
    expect(d.state.route).toEqual({ type: "any", reducer: "replace", default: null });
    expect(declareStateKey(d, "route")).toBe(d);
    const given = giveStateKeyDefault(emptyDefinition(), "messages");
    expect(given.state.messages).toEqual({ type: "array", reducer: "add_messages", default: null });
    expect(giveStateKeyDefault(given, "messages")).toBe(given);
    expect(giveStateKeyDefault(given, "nope")).toBe(given);
  });
});

describe("history", () => {
  it("undoes and redoes one step per action; typing in one field within a second is one step", () => {
    let h = startHistory("a");
    h = record(h, "ab", 1000, "field");
    h = record(h, "abc", 1000 + COALESCE_MS - 1, "field");
    h = record(h, "abcd", 1000 + 2 * COALESCE_MS - 2, "field");
    expect(h.past).toEqual(["a"]);
    h = record(h, "moved", 10_000); // another kind of action: its own step
    h = record(h, "moved!", 20_000, "field"); // the same field after a pause: a new step
    expect(h.past).toEqual(["a", "abcd", "moved"]);
    h = undo(undo(h));
    expect(h.present).toBe("abcd");
    expect(canRedo(h)).toBe(true);
    h = redo(h);
    expect(h.present).toBe("moved");
    h = record(h, "new", 30_000);
    expect(canRedo(h)).toBe(false);
    expect(undo(startHistory("x"))).toEqual(startHistory("x"));
    expect(record(h, h.present, 40_000)).toBe(h);
    expect(canUndo(h)).toBe(true);
  });

  it("undoes through the builder's reducer, dropping a selection that no longer exists", () => {
    let s: BuilderState = initialState(emptyDefinition());
    s = builderReducer(s, {
      type: "edit",
      apply: (d) => addNode(d, "llm", {}, at).definition,
      at: 1,
      select: { nodes: ["llm_1"], edge: null },
    });
    expect(s.selection.nodes).toEqual(["llm_1"]);
    s = builderReducer(s, { type: "copy" });
    s = builderReducer(s, { type: "paste", at: 2 });
    expect(s.history.present.nodes.map((n) => n.name)).toEqual(["llm_1", "llm_2"]);
    expect(s.selection.nodes).toEqual(["llm_2"]);
    s = builderReducer(s, { type: "delete", at: 3 });
    expect(s.history.present.nodes.map((n) => n.name)).toEqual(["llm_1"]);
    s = builderReducer(s, { type: "undo" });
    s = builderReducer(s, { type: "undo" });
    s = builderReducer(s, { type: "select", selection: { nodes: ["llm_1", "llm_2"], edge: 4 } });
    expect(s.selection).toEqual({ nodes: ["llm_1"], edge: null });
  });

  it("follows React Flow's select changes: one edge selected by any of its branches", () => {
    const none = { nodes: [], edge: null };
    const picked = selectionAfter(
      none,
      [],
      [
        { type: "select", id: "2:router_1->human_1", selected: true },
        { type: "select", id: "2:router_1->__end__", selected: false },
      ],
    );
    expect(picked).toEqual({ nodes: [], edge: 2 });
    const node = selectionAfter(picked, [{ type: "select", id: "llm_1", selected: true }], []);
    expect(selectionAfter(node, [], [{ type: "select", id: "2:router_1->human_1", selected: false }])).toEqual({
      nodes: ["llm_1"],
      edge: null,
    });
    expect(selectionAfter(none, [{ type: "select", id: "__start__", selected: true }], [])).toBe(none);
  });

  it("reads the keyboard shortcuts", () => {
    const key = (k: string, mods: Partial<Record<"ctrlKey" | "metaKey" | "shiftKey" | "altKey", boolean>> = {}) =>
      shortcutOf({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
    expect(key("z", { ctrlKey: true })).toBe("undo");
    expect(key("Z", { ctrlKey: true, shiftKey: true })).toBe("redo");
    expect(key("y", { ctrlKey: true })).toBe("redo");
    expect(key("c", { metaKey: true })).toBe("copy");
    expect(key("v", { ctrlKey: true })).toBe("paste");
    expect(key("Delete")).toBe("delete");
    expect(key("Backspace")).toBe("delete");
    expect(key("z")).toBeNull();
  });
});

describe("problems", () => {
  it("places each pointer on the node, edge, state or graph it names, relative to it", () => {
    const d = journeyGraph();
    const placed = placeProblems(
      [
        { path: "/body/workflow_definition/nodes/0/config/model", message: "bad model" },
        {
          path: "/body/workflow_definition/nodes/2/config",
          message: "writes 'human_input', which is not a declared state key",
        },
        { path: "/body/workflow_definition/edges/2/mapping/a~1b", message: "unknown node" },
        { path: "/body/workflow_definition/state/messages/reducer", message: "bad reducer" },
        { path: "/body/workflow_definition/edges", message: "no edge leaves __start__" },
        { path: "/body/workflow_definition/nodes/1", message: "no path to __end__" },
      ],
      d,
      d,
    );
    expect(nodeProblems(placed, "llm_1")).toEqual([{ path: "/config/model", message: "bad model", lang: "en" }]);
    expect(nodeProblems(placed, "router_1")).toEqual([{ path: "", message: "no path to __end__", lang: "en" }]);
    expect(edgeProblems(placed, 2)).toEqual([{ path: "/mapping/a~1b", message: "unknown node", lang: "en" }]);
    expect(pointerParts("/mapping/a~1b")).toEqual(["mapping", "a/b"]);
    expect(stateProblems(placed)).toEqual([{ path: "/messages/reducer", message: "bad reducer", lang: "en" }]);
    expect(placed.find((p) => p.place.kind === "graph")).toMatchObject({ path: "/edges", pointer: "/edges" });
    expect(stateKeyFix(placed[1]!.message)).toEqual({ key: "human_input", fix: "declare" });
    expect(stateKeyFix("reads 'route', which is not a declared state key")).toEqual({ key: "route", fix: "declare" });
    expect(stateKeyFix("unknown state key 'answer'")).toEqual({ key: "answer", fix: "declare" });
    expect(stateKeyFix("reads state key 'route', which no node writes, no input provides and has no default")).toEqual({
      key: "route",
      fix: "default",
    });
    expect(stateKeyFix("no path to __end__")).toBeNull();
  });

  it("keeps problems on their element while the graph changes before the next check", () => {
    const checked = journeyGraph();
    const now = updateNode(deleteNodes(checked, ["llm_1"]), "router_1", {
      ...checked.nodes[1]!,
      description: "typing",
    });
    const placed = placeProblems(
      [
        { path: "/body/workflow_definition/nodes/1/config", message: "router problem" },
        { path: "/body/workflow_definition/nodes/0", message: "gone with its node" },
        { path: "/body/workflow_definition/edges/3", message: "human edge" },
      ],
      checked,
      now,
    );
    expect(placed.map((p) => [p.place, p.message])).toEqual([
      [{ kind: "node", name: "router_1" }, "router problem"],
      [{ kind: "edge", index: 1 }, "human edge"], // edges 0 and 1 went with llm_1
    ]);
  });
});

describe("layout", () => {
  it("places unplaced nodes top to bottom and puts the terminals above and below", () => {
    const d = { ...journeyGraph(), nodes: journeyGraph().nodes.map((n) => ({ ...n, position: null })) };
    const placed = placeUnplaced(d);
    const ys = placed.nodes.map((n) => n.position!.y);
    expect(ys[0]).toBeLessThan(ys[1]!);
    expect(ys[1]).toBeLessThan(ys[2]!);
    const { start, end } = terminalPositions(placed);
    expect(start.y).toBeLessThan(ys[0]!);
    expect(end.y).toBeGreaterThan(ys[2]!);
    expect(placeUnplaced(placed)).toBe(placed);
    expect(autoLayout(placed).nodes.map((n) => n.position)).toEqual(placed.nodes.map((n) => n.position));
  });

  it("draws one edge per branch, as the server's graph route does", () => {
    let d = journeyGraph();
    d = {
      ...d,
      edges: d.edges.map((e, i) =>
        i === 2
          ? {
              ...(setEdgeKind(e, "conditional") as ConditionalEdge),
              mapping: { approve: "human_1", yes: "human_1" },
              default: "__end__",
            }
          : e,
      ),
    };
    const drawn = graphOf(d).edges.filter((e) => e.group === 2);
    expect(drawn.map((e) => [e.id, e.outcomes, e.is_default])).toEqual([
      ["2:router_1->human_1", ["approve", "yes"], false],
      ["2:router_1->__end__", [], true],
    ]);
  });
});

describe("import and export", () => {
  it("exports indented JSON that imports back the same", () => {
    const d = { ...journeyGraph(), name: "Help desk / EU" };
    const text = exportDefinition(d);
    expect(text).toContain('\n  "nodes": [');
    expect(parseImport(text)).toEqual({ ok: true, definition: d });
    expect(exportFileName(d)).toBe("Help-desk-EU.json");
    expect(exportFileName(emptyDefinition())).toBe("workflow.json");
  });

  it("reads a version's definition and plain edges; refuses what is not a definition", () => {
    const wrapped = parseImport(
      JSON.stringify({
        version: "1.0.0",
        workflow_definition: { nodes: [{ name: "a", type: "llm" }], edges: [{ source: "__start__", target: "a" }] },
      }),
    );
    expect(wrapped).toEqual({
      ok: true,
      definition: {
        state: {},
        nodes: [{ name: "a", type: "llm", config: {} }],
        edges: [{ type: "normal", source: "__start__", target: "a" }],
      },
    });
    expect(parseImport("{nope")).toEqual({ ok: false, error: "json" });
    expect(parseImport("[]")).toEqual({ ok: false, error: "notObject" });
    expect(parseImport("{}")).toEqual({ ok: false, error: "nodes" });
    expect(parseImport('{"nodes": [{"name": "a"}]}')).toEqual({ ok: false, error: "node" });
    expect(parseImport('{"nodes": [], "edges": {}}')).toEqual({ ok: false, error: "edges" });
    expect(parseImport('{"nodes": [], "edges": [{}]}')).toEqual({ ok: false, error: "edge" });
    expect(parseImport('{"nodes": [], "state": []}')).toEqual({ ok: false, error: "state" });
  });
});

describe("version numbers", () => {
  it("offers the next minor version after the newest, never a taken one", () => {
    expect(nextVersion([])).toBe("1.0.0");
    expect(nextVersion(["1.0.0"])).toBe("1.1.0");
    expect(nextVersion(["1.0.0", "1.2.3", "0.9"])).toBe("1.3.0");
    expect(nextVersion(["2.0", "beta"])).toBe("2.1.0");
    expect(nextVersion(["beta"])).toBe("1.0.0");
    expect(nextVersion(["1.0.0", "1.1.0-rc", "1.1.0"])).toBe("1.2.0");
  });
});
