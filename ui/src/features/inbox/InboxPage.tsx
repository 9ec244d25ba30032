/** The reviewer inbox: human-intervention tasks, most urgent first, with filters. */

import { Link } from "react-router";
import { useEffect, useState } from "react";
import { listTasks, type TaskFilter, type TaskStatus } from "../../api/reviews";
import { useServices, useSession } from "../../app/context";
import { useLoad } from "../../hooks/useLoad";
import { routeHref } from "../../lib/paths";
import { TASK_STATUS_LABEL, compareTasks, dueState, holder, priorityLabel } from "./taskView";
import { formatRelativeTime, formatTimestamp } from "../../text/time";
import { ProblemMessage } from "../../components/ProblemMessage";

const REFRESH_MS = 15_000;

/** The filter survives going to a task and back (for this page load). */
let lastFilter: TaskFilter = {};

const STATUS_OPTIONS: { value: "" | TaskStatus; label: string }[] = [
  { value: "", label: "Open (unclaimed and claimed)" },
  { value: "pending", label: "Unclaimed" },
  { value: "in_progress", label: "Claimed" },
  { value: "completed", label: "Completed" },
  { value: "expired", label: "Expired" },
  { value: "cancelled", label: "Cancelled" },
];

const PRIORITY_OPTIONS = [
  { value: "", label: "Any" },
  { value: "3", label: "3 or more" },
  { value: "5", label: "5 or more" },
  { value: "8", label: "8 or more (urgent)" },
];

const DUE_OPTIONS = [
  { value: "", label: "Any time" },
  { value: "1", label: "Within an hour" },
  { value: "4", label: "Within 4 hours" },
  { value: "24", label: "Within a day" },
  { value: "72", label: "Within 3 days" },
];

export function InboxPage() {
  const { client } = useServices();
  const session = useSession();
  const myId = session.status === "ready" ? session.me.id : "";
  const [filter, setFilter] = useState<TaskFilter>(lastFilter);
  const tasks = useLoad((signal) => listTasks(client, filter, signal), [client, filter]);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    lastFilter = filter;
  }, [filter]);

  // New tasks arrive as runs reach human nodes: refresh while the page is visible.
  const { reload } = tasks;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") {
        reload();
        setNow(Date.now());
      }
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const patch = (next: Partial<TaskFilter>) => setFilter((f) => ({ ...f, ...next }));
  const items = [...(tasks.data?.items ?? [])].sort(compareTasks);

  return (
    <section className="page inbox" aria-labelledby="inbox-title">
      <div className="page-head">
        <h1 id="inbox-title">Reviewer inbox</h1>
        <button type="button" className="button button--small" onClick={reload} disabled={tasks.loading}>
          {tasks.loading ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <p className="muted">Runs waiting for a person. Claim a task, then answer it; the run continues at once.</p>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter tasks">
        <label className="field">
          <span className="field-label">Status</span>
          <select
            value={filter.status ?? ""}
            onChange={(e) => patch({ status: (e.target.value || undefined) as TaskStatus | undefined })}
          >
            {STATUS_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Priority</span>
          <select
            value={filter.min_priority?.toString() ?? ""}
            onChange={(e) => patch({ min_priority: e.target.value ? Number(e.target.value) : undefined })}
          >
            {PRIORITY_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Due</span>
          <select
            value={filter.due_within_hours?.toString() ?? ""}
            onChange={(e) => patch({ due_within_hours: e.target.value ? Number(e.target.value) : undefined })}
          >
            {DUE_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={Boolean(filter.mine)} onChange={(e) => patch({ mine: e.target.checked })} />
          Only tasks I hold
        </label>
      </form>
      <ProblemMessage error={tasks.error} context="Could not load the inbox" onRetry={reload} />
      <p className="visually-hidden" role="status">
        {tasks.data ? `${items.length} tasks` : ""}
      </p>
      {tasks.data && items.length === 0 ? <p className="muted">Nothing to review. 🎉</p> : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="task-table">
            <caption className="visually-hidden">Tasks, most urgent first</caption>
            <thead>
              <tr>
                <th scope="col">Priority</th>
                <th scope="col">Task</th>
                <th scope="col">Status</th>
                <th scope="col">Held by</th>
                <th scope="col">Due</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {items.map((task) => {
                const due = dueState(task, now);
                const held = holder(task, myId);
                return (
                  <tr key={task.task_id}>
                    <td>
                      <span className={`priority priority--${priorityLabel(task.priority)}`}>
                        {task.priority}
                        <span className="visually-hidden"> ({priorityLabel(task.priority)})</span>
                      </span>
                    </td>
                    <td className="task-cell">
                      <Link to={routeHref({ name: "task", taskId: task.task_id })} className="task-link">
                        {task.instruction || "(no instruction)"}
                      </Link>
                      <span className="muted task-node">node {task.node_name}</span>
                    </td>
                    <td>{TASK_STATUS_LABEL[task.status] ?? task.status}</td>
                    <td>{held === "me" ? "You" : held === "other" ? "Someone else" : "—"}</td>
                    <td className={`due due--${due}`}>
                      {task.due_at ? (
                        <time dateTime={task.due_at} title={formatTimestamp(task.due_at)}>
                          {due === "overdue" ? "overdue · " : ""}
                          {formatRelativeTime(task.due_at, now)}
                        </time>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td>
                      <time dateTime={task.created_at} title={formatTimestamp(task.created_at)}>
                        {formatRelativeTime(task.created_at, now)}
                      </time>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
