/** The laid-out positions of a graph, computed once per graph (a version's graph never changes). */

import { useMemo } from "react";
import type { AgentGraph } from "./api";
import { layoutGraph, type Layout } from "./layout";

const EMPTY: Layout = new Map();

export function useGraphLayout(graph: AgentGraph | undefined): Layout {
  return useMemo(() => (graph ? layoutGraph(graph) : EMPTY), [graph]);
}
