/**
 * The graph panel's size, changed by dragging its edge or with the arrow keys: its width
 * beside the chat, its height when stacked above it (narrow screens).
 */

import { useRef, useState, useSyncExternalStore, type KeyboardEvent, type PointerEvent } from "react";

export type PanelLayout = "side" | "stacked";

/** Where the panel stacks above the chat instead of standing beside it (as in chat.css). */
const STACKED_QUERY = "(max-width: 1100px)";
const MIN_SIZE: Record<PanelLayout, number> = { side: 280, stacked: 200 };
// Beside the chat: a third of a laptop screen. Stacked: half the screen's height.
function initialSizes(): Record<PanelLayout, number> {
  const height = typeof window === "undefined" ? 800 : window.innerHeight;
  return { side: 420, stacked: Math.round(height * 0.5) };
}
const KEY_STEP = 32;

/** `size` kept within [min, max] (min wins when the screen is smaller than min). */
export function clampSize(size: number, min: number, max: number): number {
  return Math.round(Math.max(min, Math.min(size, max)));
}

/**
 * The size after the handle moved by (dx, dy) from where a drag began. Beside the chat the
 * handle is the panel's left edge, so moving left widens it; stacked, the handle is its
 * bottom edge, so moving down makes it taller.
 */
export function draggedSize(layout: PanelLayout, start: number, dx: number, dy: number): number {
  return layout === "side" ? start - dx : start + dy;
}

/** The size after an arrow key (null: not a key that resizes). */
export function keyedSize(layout: PanelLayout, size: number, key: string, min: number, max: number): number | null {
  const grow = layout === "side" ? "ArrowLeft" : "ArrowDown";
  const shrink = layout === "side" ? "ArrowRight" : "ArrowUp";
  if (key === grow) return size + KEY_STEP;
  if (key === shrink) return size - KEY_STEP;
  if (key === "Home") return min;
  if (key === "End") return max;
  return null;
}

function subscribeToQuery(onChange: () => void): () => void {
  if (typeof window === "undefined" || !window.matchMedia) return () => {};
  const list = window.matchMedia(STACKED_QUERY);
  list.addEventListener("change", onChange);
  return () => list.removeEventListener("change", onChange);
}

function isStacked(): boolean {
  return typeof window !== "undefined" && Boolean(window.matchMedia?.(STACKED_QUERY).matches);
}

function maxSize(layout: PanelLayout): number {
  if (typeof window === "undefined") return Infinity;
  return layout === "side" ? window.innerWidth * 0.7 : window.innerHeight * 0.8;
}

export function usePanelSize() {
  const layout: PanelLayout = useSyncExternalStore(subscribeToQuery, isStacked, () => false) ? "stacked" : "side";
  const [sizes, setSizes] = useState(initialSizes);
  const drag = useRef<{ x: number; y: number; size: number } | null>(null);
  const min = MIN_SIZE[layout];
  const max = Math.max(min, maxSize(layout));
  const size = clampSize(sizes[layout], min, max);
  const resize = (next: number) => setSizes((s) => ({ ...s, [layout]: clampSize(next, min, max) }));

  const handleProps = {
    role: "separator",
    tabIndex: 0,
    "aria-orientation": layout === "side" ? ("vertical" as const) : ("horizontal" as const),
    "aria-valuenow": size,
    "aria-valuemin": min,
    "aria-valuemax": Math.round(max),
    onPointerDown: (event: PointerEvent<HTMLElement>) => {
      event.currentTarget.setPointerCapture(event.pointerId);
      drag.current = { x: event.clientX, y: event.clientY, size };
    },
    onPointerMove: (event: PointerEvent<HTMLElement>) => {
      const start = drag.current;
      if (start) resize(draggedSize(layout, start.size, event.clientX - start.x, event.clientY - start.y));
    },
    onPointerUp: () => {
      drag.current = null;
    },
    onPointerCancel: () => {
      drag.current = null;
    },
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => {
      const next = keyedSize(layout, size, event.key, min, max);
      if (next === null) return;
      event.preventDefault();
      resize(next);
    },
  };
  return { layout, size, handleProps };
}
