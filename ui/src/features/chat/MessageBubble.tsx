/** One message: who said it, its text as Markdown, and its state. */

import { useTranslation } from "react-i18next";
import { useLocale } from "../../lib/format";
import { formatMessageTime, formatTimestamp } from "../../text/time";
import { MessageBody } from "../../components/MessageBody";

/** Where a message stands: its stored status, or the live run's. */
export type BubbleStatus = "sending" | "streaming" | "sent" | "failed" | "stopped" | (string & {});

interface Props {
  role: string;
  text: string;
  status?: BubbleStatus;
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

const ROLES = new Set(["user", "assistant", "system", "tool"]);

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
  const { t } = useTranslation("chat");
  const locale = useLocale();
  const streaming = status === "streaming";
  const failed = status === "failed" || messageType === "error";
  const stopped = status === "stopped";
  return (
    <article className={`message message--${role}${failed ? " message--failed" : ""}`} aria-busy={streaming}>
      <header className="message-meta">
        <span className="message-role">{ROLES.has(role) ? t(`message.role.${role}`) : role}</span>
        {time ? (
          <time dateTime={time} className="muted" title={formatTimestamp(time, locale)}>
            {formatMessageTime(time, Date.now(), locale)}
          </time>
        ) : null}
        {status === "sending" ? <span className="muted">{t("message.sending")}</span> : null}
        {failed ? (
          <span className="message-flag">{role === "user" ? t("message.notSent") : t("message.failed")}</span>
        ) : null}
        {stopped ? <span className="message-flag message-flag--stopped">{t("message.stopped")}</span> : null}
        {onShowRun ? (
          <button type="button" className="message-run link-button" aria-pressed={runShown} onClick={onShowRun}>
            {runShown ? t("message.runShown") : t("message.showRun")}
          </button>
        ) : null}
      </header>
      {thought ? (
        <p className="thought" title={t("message.thoughtTitle")}>
          {thought}
        </p>
      ) : null}
      {text ? (
        <MessageBody text={text} />
      ) : streaming ? (
        <p className="muted typing">{placeholder ?? t("message.working")}</p>
      ) : null}
      {streaming && text ? <span className="cursor" aria-hidden="true" /> : null}
    </article>
  );
}
