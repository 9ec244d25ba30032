/** A modal question with a confirm and a cancel button (native <dialog>: focus trap and Escape for free). */

import { useEffect, useId, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ProblemMessage } from "./ProblemMessage";

interface Props {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** A destructive action gets the danger style. */
  danger?: boolean;
  pending?: boolean;
  /** The failed confirm (an ApiError or anything a mutation threw). */
  error?: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger,
  pending,
  error,
  onConfirm,
  onCancel,
}: Props) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      cancelRef.current?.focus(); // the safe choice has focus first
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog dialog--confirm" aria-labelledby={titleId} onClose={onCancel}>
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <ProblemMessage error={error} />
      <div className="dialog-actions">
        <button type="button" ref={cancelRef} className="button" onClick={onCancel}>
          {t("actions.cancel")}
        </button>
        <button
          type="button"
          className={`button ${danger ? "button--danger" : "button--primary"}`}
          disabled={pending}
          onClick={onConfirm}
        >
          {pending ? t("actions.working") : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
