/** Pause, resume and stop the chat's live run. */

import { useEffect, useState } from "react";
import { controlRun, type RunControl } from "../../api/executions";
import { useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import type { LiveRun } from "./chatState";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";

const REQUESTED: Record<RunControl, string> = {
  pause: "Pausing: the current step finishes first…",
  resume: "Resuming…",
  cancel: "Stopping…",
};

export function RunControls({ run }: { run: LiveRun & { executionId: string } }) {
  const { client } = useServices();
  const action = useAction();
  const [requested, setRequested] = useState<RunControl | null>(null);
  const [confirmStop, setConfirmStop] = useState(false);
  const phase = run.view.phase;
  // The stream reports the effect; a new phase ends the request.
  useEffect(() => setRequested(null), [phase]);

  const send = async (control: RunControl) => {
    const ok = await action.run(() => controlRun(client, run.executionId, control));
    if (ok) setRequested(control);
    return ok;
  };

  const paused = phase === "paused";
  return (
    <div className="run-controls" role="group" aria-label="Run controls">
      {paused ? (
        <button
          type="button"
          className="button button--small"
          disabled={action.pending}
          onClick={() => void send("resume")}
        >
          Resume
        </button>
      ) : (
        <button
          type="button"
          className="button button--small"
          disabled={action.pending || requested === "pause"}
          onClick={() => void send("pause")}
        >
          Pause
        </button>
      )}
      <button
        type="button"
        className="button button--small button--danger-outline"
        disabled={action.pending || requested === "cancel"}
        onClick={() => setConfirmStop(true)}
      >
        Stop
      </button>
      <span className="run-controls-status muted" aria-live="polite">
        {requested ? REQUESTED[requested] : paused ? "Paused: no new step starts until you resume." : ""}
      </span>
      {!confirmStop ? <ProblemMessage error={action.error} context="Could not control the run" /> : null}
      <ConfirmDialog
        open={confirmStop}
        title="Stop this run?"
        confirmLabel="Stop the run"
        danger
        pending={action.pending}
        error={action.error}
        onCancel={() => {
          setConfirmStop(false);
          action.clearError();
        }}
        onConfirm={() => {
          void send("cancel").then((ok) => ok && setConfirmStop(false));
        }}
      >
        <p>
          Running nodes are stopped and open review tasks are cancelled. You can retry it from the failed step later.
        </p>
      </ConfirmDialog>
    </div>
  );
}
