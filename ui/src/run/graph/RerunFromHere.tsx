/**
 * "Run again from here" on one node task of an ended run: a button that opens a small form (an
 * optional edit of the state before this step, as JSON) and starts the new run. The caller
 * follows the new run; the server's field errors for a state that does not fit stay beside the
 * editor.
 */

import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import "./rerun.css";
import { readStateEdit, rerunBody, rerunFrom, stateText, type RerunResult, type StateEdit } from "./rerun";

interface Props {
  /** The ended run. */
  executionId: string;
  /** The node task to run again from (e.g. `1:second:0`). */
  taskId: string;
  /** The task's recorded input state (the editor starts from it); undefined while not recorded. */
  inputState: unknown;
  /** The new run started: follow it. */
  onStarted: (result: RerunResult) => void;
}

export function RerunFromHere({ executionId, taskId, inputState, onStarted }: Props) {
  const { t } = useTranslation("run");
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  // Cancelling gives the focus back to the button that opened the form.
  useEffect(() => {
    if (!open && wasOpen.current) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  if (!open) {
    return (
      <button ref={opener} type="button" className="button button--small rerun-open" onClick={() => setOpen(true)}>
        {t("rerun.open")}
      </button>
    );
  }
  return (
    <RerunForm
      executionId={executionId}
      taskId={taskId}
      inputState={inputState}
      onStarted={onStarted}
      onCancel={() => setOpen(false)}
    />
  );
}

function RerunForm({ executionId, taskId, inputState, onStarted, onCancel }: Props & { onCancel: () => void }) {
  const { t } = useTranslation("run");
  const { client } = useServices();
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(() => stateText(inputState));
  const [touched, setTouched] = useState(false);
  // The record may arrive after the form opened: start from it until the person types.
  const recorded = stateText(inputState);
  useEffect(() => {
    if (!touched) setText(recorded);
  }, [recorded, touched]);
  const [parseError, setParseError] = useState<StateEdit | null>(null);
  const first = useRef<HTMLInputElement>(null);
  // The button that opened the form is gone: the form's first control takes the focus.
  useEffect(() => first.current?.focus(), []);
  const start = useMutation({
    mutationFn: (state: Record<string, unknown> | null) => rerunFrom(client, executionId, rerunBody(taskId, state)),
    onSuccess: (result) => onStarted(result),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (start.isPending) return;
    if (!editing) {
      start.mutate(null);
      return;
    }
    const edit = readStateEdit(text, inputState);
    setParseError(edit.ok ? null : edit);
    if (edit.ok) start.mutate(edit.state);
  };

  const parseMessage =
    parseError && !parseError.ok
      ? parseError.problem === "notJson"
        ? t("rerun.notJson", { message: parseError.message })
        : t("rerun.notObject")
      : null;
  const invalid = parseMessage !== null || (start.error !== null && editing);
  const describedBy = [`${id}-hint`, parseMessage ? `${id}-parse` : null, start.error ? `${id}-problem` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <form className="rerun-form" aria-labelledby={`${id}-title`} onSubmit={onSubmit} noValidate>
      <h4 id={`${id}-title`} className="node-state-label">
        {t("rerun.title")}
      </h4>
      <p className="muted rerun-explain">{t("rerun.explain")}</p>
      <label className="checkbox">
        <input ref={first} type="checkbox" checked={editing} onChange={(e) => setEditing(e.target.checked)} />
        {t("rerun.editState")}
      </label>
      {editing ? (
        <div className="field rerun-field">
          <label className="field-label" htmlFor={`${id}-state`}>
            {t("rerun.stateLabel")}
          </label>
          <textarea
            id={`${id}-state`}
            className="rerun-state"
            rows={8}
            spellCheck={false}
            value={text}
            onChange={(e) => {
              setTouched(true);
              setText(e.target.value);
            }}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
          />
          <p id={`${id}-hint`} className="field-hint muted">
            {inputState === undefined || inputState === null ? `${t("rerun.notRecorded")} ` : null}
            {t("rerun.stateHelp")}
          </p>
          {parseMessage ? (
            <p id={`${id}-parse`} className="field-error" role="alert">
              {parseMessage}
            </p>
          ) : null}
        </div>
      ) : null}
      <div id={`${id}-problem`}>
        <ProblemMessage error={start.error} context={t("rerun.problem")} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--small button--primary" disabled={start.isPending}>
          {start.isPending ? t("rerun.starting") : t("rerun.confirm")}
        </button>
        <button type="button" className="button button--small button--ghost" onClick={onCancel}>
          {t("rerun.cancel")}
        </button>
      </div>
    </form>
  );
}
