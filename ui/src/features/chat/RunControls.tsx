/** Pause, resume and stop the chat's live run. */

import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import type { RunControl } from "../../api/executions";
import { useServices } from "../../app/context";
import type { LiveRun } from "./chatState";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { runControlMutation } from "./queries";

export function RunControls({ run }: { run: LiveRun & { executionId: string } }) {
  const { t } = useTranslation("chat");
  const { client } = useServices();
  const control = useMutation(runControlMutation(client, run.executionId));
  const [requested, setRequested] = useState<RunControl | null>(null);
  const [confirmStop, setConfirmStop] = useState(false);
  const phase = run.view.phase;
  // The stream reports the effect; a new phase ends the request.
  useEffect(() => setRequested(null), [phase]);

  const send = (action: RunControl, onDone?: () => void) =>
    control.mutate(action, {
      onSuccess: () => {
        setRequested(action);
        onDone?.();
      },
    });

  const error = control.error ? toApiError(control.error) : null;
  const pending = control.isPending;
  const paused = phase === "paused";
  const status = requested ? t(`controls.requested.${requested}`) : paused ? t("controls.pausedHint") : "";
  return (
    <div className="run-controls" role="group" aria-label={t("controls.label")}>
      {paused ? (
        <button type="button" className="button button--small" disabled={pending} onClick={() => send("resume")}>
          {t("controls.resume")}
        </button>
      ) : (
        <button
          type="button"
          className="button button--small"
          disabled={pending || requested === "pause"}
          onClick={() => send("pause")}
        >
          {t("controls.pause")}
        </button>
      )}
      <button
        type="button"
        className="button button--small button--danger-outline"
        disabled={pending || requested === "cancel"}
        onClick={() => setConfirmStop(true)}
      >
        {t("controls.stop")}
      </button>
      <span className="run-controls-status muted" aria-live="polite">
        {status}
      </span>
      {!confirmStop ? <ProblemMessage error={error} context={t("controls.problem")} /> : null}
      <ConfirmDialog
        open={confirmStop}
        title={t("controls.confirmTitle")}
        confirmLabel={t("controls.confirmButton")}
        danger
        pending={pending}
        error={error}
        onCancel={() => {
          setConfirmStop(false);
          control.reset();
        }}
        onConfirm={() => send("cancel", () => setConfirmStop(false))}
      >
        <p>{t("controls.confirmText")}</p>
      </ConfirmDialog>
    </div>
  );
}
