/** The chat's stored messages followed by the live run (user text, streamed answer, errors). */

import { useLayoutEffect, useRef } from "react";
import { runText } from "../../run/runView";
import type { ChatEntry, LiveRun } from "./chatState";
import { MessageBubble } from "./MessageBubble";
import { ProblemMessage } from "../../components/ProblemMessage";
import { RunNotices } from "./RunNotices";

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

/** What an answer still empty says, by the run's phase. */
const PLACEHOLDER: Partial<Record<LiveRun["view"]["phase"], string>> = {
  paused: "Paused.",
  waiting: "Waiting for a reviewer…",
};

const PROBLEM_CONTEXT: Record<LiveRun["origin"], [string, string]> = {
  send: ["The message was not sent", "Lost the connection to the run"],
  attach: ["Could not follow the run", "Lost the connection to the run"],
  retry: ["Could not retry the run", "Lost the connection to the retried run"],
};

export function MessageList({ entry, onResend, onShowRun }: Props) {
  const listRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const messages = entry.history.data;
  const run = entry.run;
  const liveText = run ? runText(run.view) : "";
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

  // Follow the stream only while the reader is at the bottom; never yank them back up.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && atBottom.current) list.scrollTop = list.scrollHeight;
  }, [messages.length, liveText, run?.view.errors.length, run?.view.notices.length, run?.view.thought, run?.problem]);

  return (
    <div
      ref={listRef}
      className="message-list"
      role="log"
      aria-label="Messages"
      aria-busy={entry.history.status === "loading" || Boolean(run?.active)}
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_TO_BOTTOM_PX;
      }}
    >
      {entry.history.status === "loading" && messages.length === 0 ? (
        <p className="muted list-note">Loading messages…</p>
      ) : null}
      {entry.history.status === "ready" && messages.length === 0 && !run ? (
        <p className="muted list-note">Send a message to start.</p>
      ) : null}
      {entry.chatId === null && !run ? <p className="muted list-note">Send a message to start.</p> : null}
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
      {showLive && (liveText || run.active) ? (
        <MessageBubble
          role="assistant"
          text={liveText}
          status={run.active ? "streaming" : run.view.phase === "failed" ? "failed" : "sent"}
          thought={run.active ? run.view.thought : null}
          placeholder={PLACEHOLDER[run.view.phase]}
        />
      ) : null}
      {run && !run.settled ? <RunNotices view={run.view} active={run.active} /> : null}
      {run && run.view.errors.length > 0 ? (
        <div className="run-errors" role="alert">
          {run.view.errors.map((error, index) => (
            <p key={index} className="run-error">
              {error.node ? <strong>{error.node}: </strong> : null}
              {error.message}
            </p>
          ))}
        </div>
      ) : null}
      {run?.problem ? (
        <ProblemMessage
          error={run.problem}
          context={PROBLEM_CONTEXT[run.origin][run.executionId ? 1 : 0]}
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
