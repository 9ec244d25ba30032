/** The current hash route as React state (the same object until the hash changes). */

import { useMemo, useSyncExternalStore } from "react";
import { parseRoute, type Route } from "./routes";

function subscribe(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

const getHash = () => window.location.hash;

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, getHash);
  return useMemo(() => parseRoute(hash), [hash]);
}
