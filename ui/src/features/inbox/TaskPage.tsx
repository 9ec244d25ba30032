/** One review task: what is asked, the run's state, claim/release, the answer form; admins can cancel. */

import { Link } from "react-router";
import { useEffect, useState } from "react";
import { OPEN_TASK_STATUSES, cancelTask, claimTask, getTask, releaseTask } from "../../api/reviews";
import { useServices, useSession } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { useLoad } from "../../hooks/useLoad";
import { routeHref } from "../../lib/paths";
import { TASK_STATUS_LABEL, describeEscalation, dueState, holder, priorityLabel } from "./taskView";
import { isAdmin } from "../../session/roles";
import { formatRelativeTime, formatTimestamp } from "../../text/time";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TaskAnswerForm } from "./TaskAnswerForm";

const ANSWER_POLL_MS = 1_000;
const ANSWER_POLLS = 15;

function When({ iso }: { iso: string | null }) {
  if (!iso) return <>—</>;
  return (
    <time dateTime={iso} title={formatTimestamp(iso)}>
      {formatRelativeTime(iso)}
    </time>
  );
}

export function TaskPage({ taskId }: { taskId: string }) {
  const { client } = useServices();
  const session = useSession();
  const me = session.status === "ready" ? session.me : null;
  const task = useLoad((signal) => getTask(client, taskId, signal), [client, taskId]);
  const action = useAction();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [answered, setAnswered] = useState(false);
  const [beaten, setBeaten] = useState(false);
  /** This page knows the task has an answer (its own or someone else's) before the row says so. */
  const settled = answered || beaten;
  const detail = task.data;
  const open = detail ? OPEN_TASK_STATUSES.includes(detail.status) : false;
  const held = detail && me ? holder(detail, me.id) : "nobody";
  const admin = me ? isAdmin(me.role) : false;
  const { reload } = task;

  // The run records the answer a moment after accepting it: reload until the task shows it.
  useEffect(() => {
    if (!settled || !open) return;
    let tries = 0;
    const timer = setInterval(() => {
      tries += 1;
      if (tries > ANSWER_POLLS) clearInterval(timer);
      else reload();
    }, ANSWER_POLL_MS);
    return () => clearInterval(timer);
  }, [settled, open, reload]);

  return (
    <section className="page task-page" aria-labelledby="task-title">
      <p className="breadcrumb">
        <Link to={routeHref({ name: "reviews" })}>← Inbox</Link>
      </p>
      <ProblemMessage error={task.error} context="Could not load this task" onRetry={task.reload} />
      {!detail && task.loading ? <p role="status">Loading…</p> : null}
      {detail ? (
        <>
          <h1 id="task-title">{detail.instruction || "Review task"}</h1>
          <dl className="facts">
            <div>
              <dt>Status</dt>
              <dd>
                <span className={`badge task-status task-status--${detail.status}`}>
                  {TASK_STATUS_LABEL[detail.status] ?? detail.status}
                </span>
              </dd>
            </div>
            <div>
              <dt>Priority</dt>
              <dd>
                {detail.priority} ({priorityLabel(detail.priority)})
              </dd>
            </div>
            <div>
              <dt>Due</dt>
              <dd className={`due due--${dueState(detail, Date.now())}`}>
                <When iso={detail.due_at} />
                {detail.deadline_policy ? <span className="muted"> · then {detail.deadline_policy}</span> : null}
              </dd>
            </div>
            <div>
              <dt>Held by</dt>
              <dd>{held === "me" ? "You" : held === "other" ? detail.assigned_to : "Nobody yet"}</dd>
            </div>
            <div>
              <dt>Node</dt>
              <dd>
                <code>{detail.node_name}</code>
              </dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>
                <When iso={detail.created_at} />
              </dd>
            </div>
            {detail.completed_at ? (
              <div>
                <dt>Finished</dt>
                <dd>
                  <When iso={detail.completed_at} />
                </dd>
              </div>
            ) : null}
          </dl>
          {open && !settled ? (
            <div className="task-actions" role="group" aria-label="Task actions">
              {held !== "me" ? (
                <button
                  type="button"
                  className="button"
                  disabled={action.pending || held === "other"}
                  title={held === "other" ? "Another reviewer holds this task" : undefined}
                  onClick={() => void action.run(async () => task.set(await claimTask(client, taskId)))}
                >
                  Claim
                </button>
              ) : null}
              {held === "me" || (held === "other" && admin) ? (
                <button
                  type="button"
                  className="button"
                  disabled={action.pending}
                  onClick={() => void action.run(async () => task.set(await releaseTask(client, taskId)))}
                >
                  Release
                </button>
              ) : null}
              {admin ? (
                <button type="button" className="button button--danger-outline" onClick={() => setConfirmCancel(true)}>
                  Cancel task…
                </button>
              ) : null}
            </div>
          ) : null}
          {!confirmCancel ? <ProblemMessage error={action.error} context="That did not work" /> : null}
          {beaten ? (
            <p className="problem" role="alert">
              Someone else finished this task first, so your answer was not used. Their answer is shown below.
            </p>
          ) : null}
          {answered ? (
            <p className="notice" role="status">
              Answer sent. The run continues. <Link to={routeHref({ name: "reviews" })}>Back to the inbox</Link>
            </p>
          ) : null}
          <section aria-labelledby="state-title">
            <h2 id="state-title">The run's state</h2>
            <p className="muted">What the run knew when it stopped here.</p>
            <pre className="code-block state-block" tabIndex={0}>
              <code>{JSON.stringify(detail.current_state, null, 2)}</code>
            </pre>
          </section>
          {open && !settled ? (
            <TaskAnswerForm
              key={detail.task_id}
              task={detail}
              onCompleted={() => {
                setAnswered(true);
                task.reload();
              }}
              onConflict={() => {
                setBeaten(true);
                task.reload();
              }}
            />
          ) : null}
          {detail.human_input ? (
            <section aria-labelledby="given-title">
              <h2 id="given-title">The answer given</h2>
              <pre className="code-block" tabIndex={0}>
                <code>{JSON.stringify(detail.human_input, null, 2)}</code>
              </pre>
              {detail.completion_note ? <p>Note: {detail.completion_note}</p> : null}
            </section>
          ) : null}
          {detail.escalation_history.length > 0 ? (
            <section aria-labelledby="escalation-title">
              <h2 id="escalation-title">Escalations</h2>
              <ol className="escalations">
                {detail.escalation_history.map((step, index) => (
                  <li key={index}>{describeEscalation(step)}</li>
                ))}
              </ol>
            </section>
          ) : null}
          <ConfirmDialog
            open={confirmCancel}
            title="Cancel this task?"
            confirmLabel="Cancel the task"
            danger
            pending={action.pending}
            error={action.error}
            onCancel={() => {
              setConfirmCancel(false);
              action.clearError();
            }}
            onConfirm={() =>
              void action
                .run(() => cancelTask(client, taskId))
                .then((ok) => {
                  if (!ok) return;
                  setConfirmCancel(false);
                  task.reload();
                })
            }
          >
            <p>The waiting node fails and its run stops, unless it is retried.</p>
          </ConfirmDialog>
        </>
      ) : null}
    </section>
  );
}
