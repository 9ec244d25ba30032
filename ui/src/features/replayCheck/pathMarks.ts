/**
 * The two paths of one conversation drawn on the candidate version's graph: each node and edge
 * marked by which run went through it — both, only the candidate, only the recorded run, or
 * neither. The recorded run went through the published version, so a node it passed that the
 * candidate no longer has cannot be drawn: those are listed instead. Pure.
 */

import type { AgentGraph } from "../../run/graph/api";

export type PathMark = "both" | "candidate" | "recorded" | "none";

export interface PathDrawing {
  /** Mark by node id (start and end markers included: every run passes them). */
  nodes: Map<string, PathMark>;
  /** Mark by drawn edge id. */
  edges: Map<string, PathMark>;
  /** Nodes of the recorded path the candidate's graph does not have. */
  missing: string[];
}

/** The hops of a path, start and end included: `a → b` for each consecutive pair. */
function hops(graph: AgentGraph, path: readonly string[]): Set<string> {
  const full = [graph.start, ...path, graph.end];
  const out = new Set<string>();
  for (let i = 0; i + 1 < full.length; i += 1) out.add(`${full[i]}\u0000${full[i + 1]}`);
  return out;
}

function mark(inCandidate: boolean, inRecorded: boolean): PathMark {
  if (inCandidate && inRecorded) return "both";
  if (inCandidate) return "candidate";
  return inRecorded ? "recorded" : "none";
}

/** Both paths laid over the graph. A run's path lists node names in step order (a fan-out's nodes by name). */
export function drawPaths(graph: AgentGraph, recorded: readonly string[], candidate: readonly string[]): PathDrawing {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const onCandidate = new Set([graph.start, graph.end, ...candidate]);
  const onRecorded = new Set([graph.start, graph.end, ...recorded]);
  const nodes = new Map(graph.nodes.map((n) => [n.id, mark(onCandidate.has(n.id), onRecorded.has(n.id))]));
  // An edge is on a path when the path goes straight from its source to its target. Nodes of one
  // step run side by side, so in a fan-out this is approximate — enough to see where paths part.
  const candidateHops = hops(graph, candidate);
  const recordedHops = hops(graph, recorded);
  const edges = new Map(
    graph.edges.map((e) => {
      const hop = `${e.source}\u0000${e.target}`;
      return [e.id, mark(candidateHops.has(hop), recordedHops.has(hop))];
    }),
  );
  const missing = [...new Set(recorded.filter((name) => !ids.has(name)))];
  return { nodes, edges, missing };
}

/** Whether the two paths are the same (then one line says so instead of two). */
export function samePath(recorded: readonly string[], candidate: readonly string[]): boolean {
  return recorded.length === candidate.length && recorded.every((name, i) => name === candidate[i]);
}
