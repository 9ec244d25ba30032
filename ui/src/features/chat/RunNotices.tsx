/** A run's control and review events as quiet timeline lines, and who it is waiting for. */

import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useSession } from "../../app/context";
import { useLocale } from "../../lib/format";
import { routeHref } from "../../lib/paths";
import { canReview } from "../../session/roles";
import { formatRelativeTime, formatTimestamp } from "../../text/time";
import { BudgetWaitBanner } from "./BudgetWaitBanner";
import type { LiveRun } from "./chatState";
import type { TimelineEntry } from "./timeline";

/** One timeline line in the reader's language. */
function useNoticeText(): (entry: TimelineEntry) => string {
  const { t } = useTranslation("chat");
  return (entry) => {
    switch (entry.kind) {
      case "paused":
        return t("notice.paused");
      case "resumed":
        return t("notice.resumed");
      case "stopped":
        return t("notice.stopped");
      case "waiting":
        return entry.instruction
          ? t("notice.waitingWithInstruction", { node: entry.node, instruction: entry.instruction })
          : t("notice.waiting", { node: entry.node });
      case "answered":
        return t("notice.answered", { node: entry.node });
      case "escalated": {
        const to = entry.assignedTo;
        const priority = entry.priority;
        if (to && priority !== null) return t("notice.escalatedToWithPriority", { node: entry.node, to, priority });
        if (to) return t("notice.escalatedTo", { node: entry.node, to });
        if (priority !== null) return t("notice.escalatedWithPriority", { node: entry.node, priority });
        return t("notice.escalated", { node: entry.node });
      }
      case "deadline":
        return entry.defaultUsed
          ? t("notice.deadlineDefault", { node: entry.node })
          : t("notice.deadlineStop", { node: entry.node });
    }
  };
}

export function RunNotices({ run }: { run: LiveRun }) {
  const { t } = useTranslation("chat");
  const locale = useLocale();
  const noticeText = useNoticeText();
  const session = useSession();
  const reviewer = session.status === "ready" && canReview(session.me.role);
  const waiting = run.active ? run.view.waiting : null;
  const budget = run.active ? run.view.budget : null;
  if (run.timeline.length === 0 && !waiting && !budget) return null;
  return (
    <div className="run-notices">
      {run.timeline.length > 0 ? (
        <ul className="run-notice-list" aria-label={t("notice.listLabel")}>
          {run.timeline.map((entry, index) => (
            <li key={index} className={`run-notice run-notice--${entry.kind}`}>
              {noticeText(entry)}
            </li>
          ))}
        </ul>
      ) : null}
      {waiting ? (
        <div className="waiting-card" role="status">
          <p className="waiting-title">
            <strong>{t("waiting.title")}</strong>
            {waiting.priority !== null ? (
              <span className="badge">{t("waiting.priority", { priority: waiting.priority })}</span>
            ) : null}
            {waiting.dueAt ? (
              <span className="muted">
                {t("waiting.due")}{" "}
                <time dateTime={waiting.dueAt} title={formatTimestamp(waiting.dueAt, locale)}>
                  {formatRelativeTime(waiting.dueAt, Date.now(), locale)}
                </time>
              </span>
            ) : null}
          </p>
          {waiting.instruction ? <p className="waiting-instruction">{waiting.instruction}</p> : null}
          <p className="muted waiting-hint">
            {t("waiting.hint")}
            {reviewer && waiting.taskId ? (
              <>
                {" "}
                <Link to={routeHref({ name: "task", taskId: waiting.taskId })}>{t("waiting.openTask")}</Link>
              </>
            ) : null}
          </p>
        </div>
      ) : null}
      {budget ? <BudgetWaitBanner budget={budget} /> : null}
    </div>
  );
}
