/** Where a live run is paused at a breakpoint, for the graph that paints it. */

import { useMemo } from "react";
import type { RunPhase } from "../runView";
import { useDebugView } from "./api";
import { readPausedAt, type PausedAt } from "./breakpoints";

/**
 * The breakpoint a run (`executionId`, null: none yet) is paused at, read from its debug view
 * while its stream says it is paused; null otherwise, and while a new pause is being read (the
 * view of the previous pause is not where it stands).
 */
export function usePausedAt(executionId: string | null, phase: RunPhase | null): PausedAt | null {
  const paused = phase === "paused";
  const view = useDebugView(executionId, paused);
  const breakpoint = paused && !view.isFetching && view.data?.paused ? view.data.breakpoint : null;
  return useMemo(() => readPausedAt(breakpoint), [breakpoint]);
}
