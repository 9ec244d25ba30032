/** One message: who said it, its text as paragraphs and code, and its state. */

import { formatMessageTime, formatTimestamp } from "../../text/time";
import { MessageBody } from "./MessageBody";

interface Props {
  role: string;
  text: string;
  status?: string;
  messageType?: string;
  time?: string;
  /** The agent's latest thought, shown as a thin line while it works. */
  thought?: string | null;
  /** Shown while a streaming answer has no text yet (default "Working…"). */
  placeholder?: string;
  /** Show this message's run in the graph panel. */
  onShowRun?: () => void;
  /** This message's run is the one the graph panel shows. */
  runShown?: boolean;
}

const ROLE_LABEL: Record<string, string> = { user: "You", assistant: "Agent", system: "System", tool: "Tool" };

export function MessageBubble({
  role,
  text,
  status,
  messageType,
  time,
  thought,
  placeholder,
  onShowRun,
  runShown,
}: Props) {
  const streaming = status === "streaming";
  const failed = status === "failed" || messageType === "error";
  return (
    <article className={`message message--${role}${failed ? " message--failed" : ""}`} aria-busy={streaming}>
      <header className="message-meta">
        <span className="message-role">{ROLE_LABEL[role] ?? role}</span>
        {time ? (
          <time dateTime={time} className="muted" title={formatTimestamp(time)}>
            {formatMessageTime(time)}
          </time>
        ) : null}
        {status === "sending" ? <span className="muted">sending…</span> : null}
        {failed ? <span className="message-flag">{role === "user" ? "not sent" : "failed"}</span> : null}
        {onShowRun ? (
          <button type="button" className="message-run link-button" aria-pressed={runShown} onClick={onShowRun}>
            {runShown ? "Run shown" : "Show run"}
          </button>
        ) : null}
      </header>
      {thought ? (
        <p className="thought" title="What the agent is doing">
          {thought}
        </p>
      ) : null}
      {text ? (
        <MessageBody text={text} />
      ) : streaming ? (
        <p className="muted typing">{placeholder ?? "Working…"}</p>
      ) : null}
      {streaming && text ? <span className="cursor" aria-hidden="true" /> : null}
    </article>
  );
}
