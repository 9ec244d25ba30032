/** A one-off async action (a button): whether it is running, and the problem if it failed. */

import { useCallback, useEffect, useRef, useState } from "react";
import { toApiError, type ApiError } from "../api/problem";

export interface Action {
  pending: boolean;
  error: ApiError | null;
  /** Run `task`; resolves true when it succeeded. Ignored while another run is pending. */
  run: (task: () => Promise<unknown>) => Promise<boolean>;
  clearError: () => void;
}

export function useAction(): Action {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const busy = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async (task: () => Promise<unknown>) => {
    if (busy.current) return false;
    busy.current = true;
    setPending(true);
    setError(null);
    try {
      await task();
      return true;
    } catch (caught) {
      if (mounted.current) setError(toApiError(caught));
      return false;
    } finally {
      busy.current = false;
      if (mounted.current) setPending(false);
    }
  }, []);

  const clearError = useCallback(() => setError(null), []);
  return { pending, error, run, clearError };
}
