/** Where a graph edge runs and where its label sits: shared by the run graph and the diff canvas. */

import { getBezierPath, getSmoothStepPath, type Position } from "@xyflow/react";

/** What the path needs from React Flow's edge props. */
export interface EdgeEnds {
  source: string;
  target: string;
  sourceX: number;
  sourceY: number;
  targetX: number;
  targetY: number;
  sourcePosition: Position;
  targetPosition: Position;
}

/** The SVG path and the label point: a self-loop out to the right, a loop back up around the nodes, or a curve down. */
export function edgePath(ends: EdgeEnds): [string, number, number] {
  const { source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = ends;
  if (source === target) {
    const reach = 110;
    const [top, bottom] = [targetY, sourceY];
    return [
      `M ${sourceX} ${bottom} C ${sourceX + reach} ${bottom + 40}, ${sourceX + reach} ${top - 40}, ${sourceX} ${top}`,
      sourceX + reach * 0.75,
      (top + bottom) / 2,
    ];
  }
  if (targetY <= sourceY) {
    // A loop back up the graph: go around the nodes rather than through them.
    const [path, x, y] = getSmoothStepPath({
      sourceX,
      sourceY,
      targetX,
      targetY,
      sourcePosition,
      targetPosition,
      offset: 28,
      borderRadius: 12,
    });
    return [path, x, y];
  }
  const [path, x, y] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  return [path, x, y];
}
