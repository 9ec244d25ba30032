/** A destructive action on one chosen item, asked for in a ConfirmDialog first. */

import { useState } from "react";
import type { ApiError } from "../api/problem";
import { useAction } from "./useAction";

export interface ConfirmedAction<T> {
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

/** `act` runs on confirm; on success the dialog closes and `onDone` runs (e.g. a reload). */
export function useConfirmedAction<T>(act: (item: T) => Promise<unknown>, onDone: () => void): ConfirmedAction<T> {
  const [target, setTarget] = useState<T | null>(null);
  const action = useAction();
  return {
    target,
    ask: setTarget,
    dialog: {
      open: target !== null,
      pending: action.pending,
      error: action.error,
      onCancel: () => {
        setTarget(null);
        action.clearError();
      },
      onConfirm: () => {
        const item = target;
        if (item === null) return;
        void action
          .run(() => act(item))
          .then((ok) => {
            if (!ok) return;
            setTarget(null);
            onDone();
          });
      },
    },
  };
}
