/**
 * The sandbox: a test chat with a saved version of an agent — beside the builder (drafts
 * included), or on a submission a reviewer is looking at. It runs only saved versions, so with
 * unsaved changes on the builder's canvas it says so and offers to save a draft first or to run
 * the last saved one. The answer streams in as in a chat; the builder paints the run's node
 * states on its own canvas.
 */

import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { useTranslation } from "react-i18next";
import { ProblemMessage } from "../../../../components/ProblemMessage";
import { BreakpointPicker } from "../../../../run/debug/BreakpointPicker";
import { breakpointsToSend, NO_BREAKPOINTS } from "../../../../run/debug/breakpoints";
import { DebuggerPanel } from "../../../../run/debug/DebuggerPanel";
import { StatusBadge } from "../../StatusBadge";
import { useSandboxChat, type SandboxTarget } from "./api";
import { SandboxComposer } from "./SandboxComposer";
import { SandboxTurnView } from "./SandboxTurn";
import type { SandboxRuns } from "./sandboxRuns";
import { canSend, latestTurn, turnOutcome } from "./session";
import "./sandbox.css";

/** The saved version the sandbox runs. */
export interface SandboxVersion {
  id: string;
  version: string;
  status: string;
}

export interface SandboxPanelProps {
  id: string;
  runs: SandboxRuns;
  /** Where the chat is opened (whose sandbox, which version); null: nothing saved yet. */
  target: SandboxTarget | null;
  /** The version the canvas was opened from or last saved as (a reviewer's: the submission); null: nothing saved yet. */
  saved: SandboxVersion | null;
  /** This panel session's number (a new one opens a new chat); null: not started (a choice is asked first). */
  session: number | null;
  onNewChat: () => void;
  onClose: () => void;
  /** Extra class of the panel (`sandbox--page`: framed on a page of its own, not beside the canvas). */
  className?: string;
  /** The builder's canvas differs from the saved version. */
  dirty?: boolean;
  /** Why the canvas cannot be saved now (problems, checking, read-only), or null. */
  saveBlocked?: string | null;
  /** The builder's choices before a chat is opened (a reviewer's sandbox opens at once). */
  onSaveFirst?: () => void;
  onRunSaved?: () => void;
  /** The graph's node names, offered for breakpoints (none offered without). */
  nodes?: readonly string[];
}

export function SandboxPanel(props: SandboxPanelProps) {
  const { id, saved, session, onClose, onNewChat, className } = props;
  const { t } = useTranslation("sandbox");
  const titleId = `${id}-title`;
  const titleRef = useRef<HTMLHeadingElement>(null);
  // Opened from the toolbar: the keyboard lands in the panel (its title; Tab goes on to its controls).
  useEffect(() => titleRef.current?.focus({ preventScroll: true }), []);
  const close = () => {
    onClose();
    document.querySelector<HTMLElement>("[data-sandbox-toggle]")?.focus({ preventScroll: true });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== "Escape" || event.nativeEvent.isComposing || event.defaultPrevented) return;
    event.preventDefault();
    close();
  };
  return (
    // The panel's own key: Escape closes it, as a drawer does (a composing IME keeps its Escape).
    <aside
      id={id}
      className={`builder-side sandbox${className ? ` ${className}` : ""}`}
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
    >
      <header className="sandbox-head">
        <h2 id={titleId} ref={titleRef} className="builder-panel-title" tabIndex={-1}>
          {t("title")}
        </h2>
        {saved ? (
          <p className="sandbox-version muted">
            {t("version", { version: saved.version })} <StatusBadge status={saved.status} />
          </p>
        ) : null}
        <p className="sandbox-actions">
          {session !== null ? (
            <button type="button" className="button button--small" onClick={onNewChat}>
              {t("newChat")}
            </button>
          ) : null}
          <button type="button" className="button button--small button--ghost" onClick={close}>
            {t("close")}
          </button>
        </p>
      </header>
      {session === null || !saved || props.target === null ? (
        <SandboxGate {...props} />
      ) : (
        <SandboxChat {...props} target={props.target} saved={saved} session={session} />
      )}
    </aside>
  );
}

/** Before a chat is opened: nothing saved yet, or unsaved changes to decide about. */
function SandboxGate({ saved, dirty = false, saveBlocked = null, onSaveFirst, onRunSaved }: SandboxPanelProps) {
  const { t } = useTranslation("sandbox");
  const saveButton = (label: string) => (
    <SaveFirstButton label={label} blocked={saveBlocked} onClick={() => onSaveFirst?.()} />
  );
  if (!saved) {
    return (
      <div className="sandbox-gate">
        <p>{t("gate.nothingSaved")}</p>
        <p className="sandbox-choices">{saveButton(t("gate.saveDraft"))}</p>
      </div>
    );
  }
  return (
    <div className="sandbox-gate" role={dirty ? "status" : undefined}>
      <p>{dirty ? t("gate.unsaved", { version: saved.version }) : t("gate.ready", { version: saved.version })}</p>
      <p className="sandbox-choices">
        {dirty ? saveButton(t("gate.saveDraftFirst")) : null}
        <button
          type="button"
          className={`button button--small${dirty ? "" : " button--primary"}`}
          onClick={() => onRunSaved?.()}
        >
          {t("gate.runSaved", { version: saved.version })}
        </button>
      </p>
    </div>
  );
}

function SaveFirstButton({ label, blocked, onClick }: { label: string; blocked: string | null; onClick: () => void }) {
  const reasonId = "sandbox-save-blocked";
  return (
    <>
      <button
        type="button"
        className="button button--small button--primary"
        aria-disabled={blocked ? true : undefined}
        aria-describedby={blocked ? reasonId : undefined}
        onClick={() => {
          if (!blocked) onClick();
        }}
      >
        {label}
      </button>
      {blocked ? (
        <span id={reasonId} className="muted sandbox-blocked">
          {blocked}
        </span>
      ) : null}
    </>
  );
}

const STICK_TO_BOTTOM_PX = 80;

/** The chat with the saved version: the conversation, what the run is doing, and the message box. */
function SandboxChat({
  runs,
  target,
  saved,
  dirty = false,
  session,
  nodes,
}: SandboxPanelProps & { target: SandboxTarget; saved: SandboxVersion; session: number }) {
  const { t } = useTranslation("sandbox");
  const chat = useSandboxChat(target, session);
  const [breakpoints, setBreakpoints] = useState(NO_BREAKPOINTS);
  const state = useSyncExternalStore(runs.subscribe, runs.getState, runs.getState);
  const listRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const atBottom = useRef(true);
  const ready = chat.data !== undefined;
  // Once the chat is open, the message box takes the keyboard, unless the person is elsewhere already.
  useEffect(() => {
    const active = document.activeElement;
    const here = active === document.body || (active instanceof HTMLElement && active.closest(".sandbox") !== null);
    if (ready && here) inputRef.current?.focus({ preventScroll: true });
  }, [ready]);
  const latest = latestTurn(state);
  const outcome = latest ? turnOutcome(latest) : null;
  // Paused (at a breakpoint): the debugger shows where the run stands, until its stream says it goes on.
  const debugged = latest?.active && latest.view.phase === "paused" ? latest.executionId : null;

  // Follow the stream while the reader is at the bottom, as the chat does.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && atBottom.current) list.scrollTop = list.scrollHeight;
  }, [state]);

  let body: ReactNode;
  if (chat.error) {
    body = <ProblemMessage error={chat.error} context={t("openError")} onRetry={() => void chat.refetch()} />;
  } else if (!chat.data) {
    body = (
      <p className="muted" role="status">
        {t("opening")}
      </p>
    );
  } else {
    body = (
      <div
        ref={listRef}
        className="sandbox-log message-list"
        role="log"
        aria-label={t("log")}
        aria-busy={Boolean(latest?.active)}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_TO_BOTTOM_PX;
        }}
      >
        {state.turns.length === 0 ? (
          <p className="muted list-note">
            {/* Only the builder paints the run on a canvas. */}
            {t(target.kind === "developer" ? "empty" : "emptyReview", { version: saved.version })}
          </p>
        ) : null}
        {state.turns.map((turn, index) => (
          <SandboxTurnView key={index} turn={turn} />
        ))}
      </div>
    );
  }
  const chatId = chat.data?.id ?? null;
  return (
    <div className="sandbox-chat">
      {dirty ? <p className="sandbox-note muted">{t("runningSaved", { version: saved.version })}</p> : null}
      {body}
      {debugged ? <DebuggerPanel key={debugged} executionId={debugged} /> : null}
      {/* Breakpoints are for the next message: out of the way while a run goes (the debugger needs the room). */}
      {nodes && !latest?.active ? (
        <BreakpointPicker nodes={nodes} value={breakpoints} onChange={setBreakpoints} />
      ) : null}
      <SandboxComposer
        inputRef={inputRef}
        disabled={chatId === null || !canSend(state)}
        status={outcome ? t(`outcome.${outcome}`) : ""}
        onSend={(text) => {
          if (chatId) runs.send(chatId, text, nodes ? breakpointsToSend(breakpoints, nodes) : undefined);
        }}
      />
    </div>
  );
}
