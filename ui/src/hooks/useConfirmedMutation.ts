/** A destructive mutation, asked for in a ConfirmDialog first (TanStack Query). */

import type { UseMutationResult } from "@tanstack/react-query";
import { useState } from "react";
import { toApiError, type ApiError } from "../api/problem";

export interface ConfirmedMutation<T> {
  /** The item the dialog asks about (null: the dialog is closed). */
  target: T | null;
  /** Open the dialog for `item` (for a mutation without one, `ask()`). */
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

/**
 * On confirm `mutation` runs with the item; the dialog closes when it succeeds, then `onSuccess`
 * follows (leave the deleted page, tell the parent), and the dialog shows the problem if not.
 * Cancelling forgets a failure, so the dialog opens clean next time.
 */
export function useConfirmedMutation<T>(
  mutation: UseMutationResult<unknown, Error, T>,
  onSuccess?: (item: T) => void,
): ConfirmedMutation<T> {
  // Boxed, so that a mutation without an item (T = void) can be asked for too.
  const [asked, setAsked] = useState<{ item: T } | null>(null);
  return {
    target: asked ? asked.item : null,
    ask: (item) => setAsked({ item }),
    dialog: {
      open: asked !== null,
      pending: mutation.isPending,
      error: mutation.error && toApiError(mutation.error),
      onCancel: () => {
        setAsked(null);
        mutation.reset();
      },
      onConfirm: () => {
        if (asked === null || mutation.isPending) return;
        mutation.mutate(asked.item, {
          onSuccess: () => {
            setAsked(null);
            onSuccess?.(asked.item);
          },
        });
      },
    },
  };
}
