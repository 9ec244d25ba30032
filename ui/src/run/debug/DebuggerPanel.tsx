/**
 * The debugger of a run paused at a breakpoint: where it stands (the step, the nodes it stopped
 * before or after, what runs next), its whole state as JSON, an editor for that state (checked
 * here first, then by the server against the agent's state schema, whose refusals are shown per
 * key), and the ways on: one superstep, continue, stop. Shown only while the run is paused;
 * the run's stream says when it goes on.
 */

import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useDebugActions, useDebugView, type DebugCommand, type DebugView } from "./api";
import { readPausedAt } from "./breakpoints";
import { FinishedNodes } from "./FinishedNodes";
import { checkStateEdit, formatState, stateKeyErrors, type StateEditCheck } from "./stateEdit";
import "./debugger.css";

interface Props {
  executionId: string;
}

export function DebuggerPanel({ executionId }: Props) {
  const { t } = useTranslation("debugger");
  const titleId = useId();
  const view = useDebugView(executionId, true);
  let body;
  // Not theirs to debug (403): the run's own controls are all they get.
  if (view.error && toApiError(view.error).status === 403) return null;
  if (view.error) {
    body = <ProblemMessage error={view.error} context={t("panel.loadError")} onRetry={() => void view.refetch()} />;
  } else if (!view.data || !view.isFetchedAfterMount) {
    // A view kept from the previous pause is not where the run stands now.
    body = (
      <p className="muted" role="status">
        {t("panel.loading")}
      </p>
    );
  } else if (!view.data.paused) {
    return null;
  } else {
    body = <PausedRun executionId={executionId} view={view.data} />;
  }
  return (
    <section className="debugger" aria-labelledby={titleId}>
      <h3 id={titleId} className="debugger-title">
        {t("panel.title")}
      </h3>
      {body}
    </section>
  );
}

function PausedRun({ executionId, view }: { executionId: string; view: DebugView }) {
  const { t } = useTranslation("debugger");
  const { edit, command } = useDebugActions(executionId);
  const [draft, setDraft] = useState<string | null>(null);
  const [check, setCheck] = useState<StateEditCheck | null>(null);
  const [sent, setSent] = useState<DebugCommand | null>(null);
  const at = readPausedAt(view.breakpoint);
  const editorId = useId();
  const busy = edit.isPending || command.isPending || sent !== null;

  const apply = () => {
    if (draft === null) return;
    const result = checkStateEdit(view.state, draft);
    setCheck(result);
    if (!result.ok || Object.keys(result.edits).length === 0) return;
    edit.mutate(result.edits, { onSuccess: () => setDraft(null) });
  };
  const go = (what: DebugCommand) => {
    // The stream's `resumed` (or the end) takes this panel away; until then nothing more is sent.
    command.mutate(what, { onSuccess: () => setSent(what), onError: () => setSent(null) });
  };
  const keyErrors = stateKeyErrors(edit.error);

  return (
    <>
      <div className="debugger-where" role="status">
        <p>
          <strong>{at ? t("panel.pausedAt", { step: at.step }) : t("panel.paused")}</strong>
        </p>
        {at?.before.length ? <p>{t("panel.before", { nodes: at.before.join(", ") })}</p> : null}
        {at?.after.length ? <p>{t("panel.after", { nodes: at.after.join(", ") })}</p> : null}
        {at ? <p>{at.next.length ? t("panel.next", { nodes: at.next.join(", ") }) : t("panel.nextEnd")}</p> : null}
      </div>
      <p className="debugger-actions debugger-commands">
        <button type="button" className="button button--small" disabled={busy} onClick={() => go("step")}>
          {t("panel.step")}
        </button>
        <button
          type="button"
          className="button button--small button--primary"
          disabled={busy}
          onClick={() => go("resume")}
        >
          {t("panel.continue")}
        </button>
        <button
          type="button"
          className="button button--small button--danger-outline"
          disabled={busy}
          onClick={() => go("cancel")}
        >
          {t("panel.stop")}
        </button>
      </p>
      {draft !== null ? <p className="muted debugger-note">{t("panel.unapplied")}</p> : null}
      {sent ? (
        <p className="muted" role="status">
          {t(`panel.sent.${sent}`)}
        </p>
      ) : null}
      <ProblemMessage error={command.error} context={t("panel.commandError")} />
      {draft === null ? (
        <>
          <h4 className="debugger-subtitle">{t("panel.state")}</h4>
          <pre className="debugger-state" tabIndex={0} aria-label={t("panel.stateLabel")}>
            {formatState(view.state)}
          </pre>
          {edit.isSuccess && check?.ok ? (
            <p className="muted" role="status">
              {t("panel.applied")}
            </p>
          ) : null}
          <p className="debugger-actions">
            <button
              type="button"
              className="button button--small"
              disabled={busy}
              onClick={() => {
                setCheck(null);
                edit.reset();
                setDraft(formatState(view.state));
              }}
            >
              {t("panel.edit")}
            </button>
          </p>
        </>
      ) : (
        <div className="debugger-editor">
          <label htmlFor={editorId} className="field-label">
            {t("panel.editorLabel")}
          </label>
          <textarea
            id={editorId}
            className="debugger-textarea"
            spellCheck={false}
            rows={12}
            value={draft}
            aria-invalid={check !== null && !check.ok ? true : undefined}
            onChange={(event) => {
              setDraft(event.target.value);
              setCheck(null);
            }}
          />
          <CheckMessage check={check} />
          {keyErrors.length ? (
            <div className="problem" role="alert">
              <p className="problem-detail">
                <strong>{t("panel.editRefused")}</strong>
              </p>
              <ul className="problem-errors">
                {keyErrors.map(([key, message]) => (
                  <li key={key} data-state-key={key}>
                    <code>{key}</code> {message}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <ProblemMessage error={edit.error} context={t("panel.editError")} />
          )}
          <p className="debugger-actions">
            <button type="button" className="button button--small button--primary" disabled={busy} onClick={apply}>
              {edit.isPending ? t("panel.applying") : t("panel.apply")}
            </button>
            <button
              type="button"
              className="button button--small button--ghost"
              disabled={edit.isPending}
              onClick={() => {
                setDraft(null);
                setCheck(null);
                edit.reset();
              }}
            >
              {t("panel.discard")}
            </button>
          </p>
        </div>
      )}
      <FinishedNodes executionId={executionId} />
    </>
  );
}

/** What the client-side check found in the editor's text, if anything. */
function CheckMessage({ check }: { check: StateEditCheck | null }) {
  const { t } = useTranslation("debugger");
  if (!check) return null;
  if (check.ok) {
    return Object.keys(check.edits).length === 0 ? (
      <p className="muted" role="status">
        {t("panel.noChange")}
      </p>
    ) : null;
  }
  const text =
    check.problem === "syntax"
      ? t("panel.syntax", { detail: check.detail })
      : check.problem === "notObject"
        ? t("panel.notObject")
        : t("panel.removed", { keys: check.keys.join(", ") });
  return (
    <p className="field-error" role="alert">
      {text}
    </p>
  );
}
