/** The chat's stored messages followed by the live run (user text, what the agent says, errors). */

import { useLayoutEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { ChatEntry, LiveRun } from "./chatState";
import { runOutcome, visibleErrors } from "./runOutcome";
import { MessageBubble, type BubbleStatus } from "./MessageBubble";
import { ProblemMessage } from "../../components/ProblemMessage";
import { RunNotices } from "./RunNotices";
import { spokenText } from "../../run/speech";

const STICK_TO_BOTTOM_PX = 80;

/** Problems after which sending the same text again can help (not bad input, not a missing chat). */
function worthRetrying(status: number): boolean {
  return status === 0 || status === 409 || status === 429 || status >= 500;
}

interface Props {
  entry: ChatEntry;
  /** Send a message again (offered when it could not be sent). */
  onResend: (text: string) => void;
  /** Show a message's run in the graph panel. */
  onShowRun: (executionId: string) => void;
}

/** The live answer's state: streaming, or how the run ended. */
function answerStatus(run: LiveRun): BubbleStatus {
  const outcome = runOutcome(run);
  // A stopped run's stream stays open until `done`: it is no longer streaming.
  if (outcome === "stopped") return "stopped";
  if (run.active) return "streaming";
  return outcome === "failed" ? "failed" : "sent";
}

export function MessageList({ entry, onResend, onShowRun }: Props) {
  const { t } = useTranslation("chat");
  const listRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const messages = entry.history.data;
  const run = entry.run;
  const liveText = run ? spokenText(run.speech, run.view.done) : "";
  const errors = visibleErrors(run);
  // Once history holds this run's answer, the live bubbles would only repeat it.
  const answered =
    run !== null &&
    !run.active &&
    run.executionId !== null &&
    messages.some((m) => m.role === "assistant" && m.workflow_execution_id === run.executionId);
  const showLive = run !== null && !run.settled && !answered;
  const userInHistory =
    run !== null &&
    run.executionId !== null &&
    messages.some((m) => m.role === "user" && m.workflow_execution_id === run.executionId);
  const status = run ? answerStatus(run) : "sent";
  const placeholder =
    run?.view.phase === "paused"
      ? t("message.pausedPlaceholder")
      : run?.view.phase === "waiting"
        ? t("message.waitingPlaceholder")
        : undefined;

  // Follow the stream only while the reader is at the bottom; never yank them back up.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && atBottom.current) list.scrollTop = list.scrollHeight;
  }, [messages.length, liveText, errors.length, run?.timeline.length, run?.view.thought, run?.problem]);

  const problemContext = (origin: LiveRun["origin"], started: boolean) =>
    started ? t(`problem.${origin}.lost`) : t(`problem.${origin}.start`);

  return (
    <div
      ref={listRef}
      className="message-list"
      role="log"
      aria-label={t("message.listLabel")}
      aria-busy={entry.history.status === "loading" || Boolean(run?.active)}
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_TO_BOTTOM_PX;
      }}
    >
      {entry.history.status === "loading" && messages.length === 0 ? (
        <p className="muted list-note">{t("message.loading")}</p>
      ) : null}
      {(entry.history.status === "ready" && messages.length === 0 && !run) || (entry.chatId === null && !run) ? (
        <p className="muted list-note">{t("message.empty")}</p>
      ) : null}
      {messages.map((message) => (
        <MessageBubble
          key={message.id}
          role={message.role}
          text={message.content}
          status={message.status}
          messageType={message.message_type}
          time={message.created_at}
          onShowRun={
            message.role === "assistant" && message.workflow_execution_id
              ? () => onShowRun(message.workflow_execution_id!)
              : undefined
          }
          runShown={message.workflow_execution_id !== null && message.workflow_execution_id === entry.shownExecutionId}
        />
      ))}
      {showLive && run.userText !== null && !userInHistory ? (
        <MessageBubble
          role="user"
          text={run.userText}
          status={run.active && !run.executionId ? "sending" : run.problem && !run.executionId ? "failed" : "sent"}
        />
      ) : null}
      {showLive && (liveText || status === "streaming") ? (
        <MessageBubble
          role="assistant"
          text={liveText}
          status={status}
          thought={status === "streaming" ? run.view.thought : null}
          placeholder={placeholder}
        />
      ) : null}
      {run && !run.settled ? <RunNotices run={run} /> : null}
      {errors.length > 0 ? (
        <div className="run-errors" role="alert">
          {errors.map((error, index) => (
            <p key={index} className="run-error">
              {error.node ? <strong>{t("message.errorAt", { node: error.node })}</strong> : null}
              {error.message}
            </p>
          ))}
        </div>
      ) : null}
      {run?.problem ? (
        <ProblemMessage
          error={run.problem}
          context={problemContext(run.origin, run.executionId !== null)}
          onRetry={
            run.origin === "send" && run.userText !== null && !run.executionId && worthRetrying(run.problem.status)
              ? () => onResend(run.userText ?? "")
              : undefined
          }
        />
      ) : null}
    </div>
  );
}
