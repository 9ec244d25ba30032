/** Claim, release and (admins) cancel an open task. Shown only while the task is open. */

import { useTranslation } from "react-i18next";
import type { ReviewTaskDetail } from "../../api/reviews";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { asProblem, useCancelTask, useHoldTask } from "./queries";
import { holder } from "./taskView";

interface Props {
  task: ReviewTaskDetail;
  myId: string;
  admin: boolean;
  /** Claim and release apply to a plain task; a policy task is answered by each assignee in turn. */
  holdable?: boolean;
  /** The cancel was accepted; the run closes the task a moment later. */
  onCancelled: () => void;
}

export function TaskActions({ task, myId, admin, holdable = true, onCancelled }: Props) {
  const { t } = useTranslation("inbox");
  const hold = useHoldTask(task.task_id);
  const cancel = useConfirmedMutation(useCancelTask(task.task_id), onCancelled);
  const held = holder(task, myId);
  return (
    <>
      <div className="task-actions" role="group" aria-label={t("task.actions")}>
        {holdable && held !== "me" ? (
          <button
            type="button"
            className="button"
            disabled={hold.isPending || held === "other"}
            title={held === "other" ? t("task.claimHeld") : undefined}
            onClick={() => hold.mutate("claim")}
          >
            {t("task.claim")}
          </button>
        ) : null}
        {holdable && (held === "me" || (held === "other" && admin)) ? (
          <button type="button" className="button" disabled={hold.isPending} onClick={() => hold.mutate("release")}>
            {t("task.release")}
          </button>
        ) : null}
        {admin ? (
          <button type="button" className="button button--danger-outline" onClick={() => cancel.ask()}>
            {t("task.cancel")}
          </button>
        ) : null}
      </div>
      <ProblemMessage error={asProblem(hold.error)} context={t("task.actionFailed")} />
      <ConfirmDialog title={t("task.cancelTitle")} confirmLabel={t("task.cancelConfirm")} danger {...cancel.dialog}>
        <p>{t("task.cancelText")}</p>
      </ConfirmDialog>
    </>
  );
}
