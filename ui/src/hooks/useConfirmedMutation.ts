/** A destructive mutation on one chosen item, asked for in a ConfirmDialog first (TanStack Query). */

import type { UseMutationResult } from "@tanstack/react-query";
import { useState } from "react";
import { toApiError, type ApiError } from "../api/problem";

export interface ConfirmedMutation<T> {
  /** The item the dialog asks about (null: the dialog is closed). */
  target: T | null;
  /** Open the dialog for `item`. */
  ask: (item: T) => void;
  /** Spread onto ConfirmDialog: open, pending, error, onCancel, onConfirm. */
  dialog: {
    open: boolean;
    pending: boolean;
    error: ApiError | null;
    onCancel: () => void;
    onConfirm: () => void;
  };
}

/** On confirm `mutation` runs with the item; the dialog closes when it succeeds and shows the problem if not. */
export function useConfirmedMutation<T>(mutation: UseMutationResult<unknown, Error, T>): ConfirmedMutation<T> {
  const [target, setTarget] = useState<T | null>(null);
  return {
    target,
    ask: setTarget,
    dialog: {
      open: target !== null,
      pending: mutation.isPending,
      error: mutation.error && toApiError(mutation.error),
      onCancel: () => {
        setTarget(null);
        mutation.reset();
      },
      onConfirm: () => {
        if (target === null || mutation.isPending) return;
        mutation.mutate(target, { onSuccess: () => setTarget(null) });
      },
    },
  };
}
