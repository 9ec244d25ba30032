/** A run's control and review events as quiet timeline lines, and who it is waiting for. */

import { Link } from "react-router";
import { useSession } from "../../app/context";
import { routeHref } from "../../lib/paths";
import type { RunView } from "../../run/runView";
import { canReview } from "../../session/roles";
import { formatRelativeTime, formatTimestamp } from "../../text/time";

export function RunNotices({ view, active }: { view: RunView; active: boolean }) {
  const session = useSession();
  const reviewer = session.status === "ready" && canReview(session.me.role);
  const waiting = active ? view.waiting : null;
  if (view.notices.length === 0 && !waiting) return null;
  return (
    <div className="run-notices">
      {view.notices.length > 0 ? (
        <ul className="run-notice-list" aria-label="Run events">
          {view.notices.map((notice, index) => (
            <li key={index} className={`run-notice run-notice--${notice.kind}`}>
              {notice.text}
            </li>
          ))}
        </ul>
      ) : null}
      {waiting ? (
        <div className="waiting-card" role="status">
          <p className="waiting-title">
            <strong>Waiting for a reviewer</strong>
            {waiting.priority !== null ? <span className="badge">priority {waiting.priority}</span> : null}
            {waiting.dueAt ? (
              <span className="muted">
                due{" "}
                <time dateTime={waiting.dueAt} title={formatTimestamp(waiting.dueAt)}>
                  {formatRelativeTime(waiting.dueAt)}
                </time>
              </span>
            ) : null}
          </p>
          {waiting.instruction ? <p className="waiting-instruction">{waiting.instruction}</p> : null}
          <p className="muted waiting-hint">
            The run continues once someone answers in the reviewer inbox.
            {reviewer && waiting.taskId ? (
              <>
                {" "}
                <Link to={routeHref({ name: "task", taskId: waiting.taskId })}>Open the task</Link>
              </>
            ) : null}
          </p>
        </div>
      ) : null}
    </div>
  );
}
