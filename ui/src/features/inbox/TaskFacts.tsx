/** A task's facts: status, priority, deadline and what follows it, who holds it, its node and times. */

import { useTranslation } from "react-i18next";
import type { ApprovalTaskDetail } from "../../api/approvals";
import { DueTime, TaskTime } from "./TaskTime";
import { statusText } from "./approvalView";
import { dueState, holder, priorityLabel } from "./taskView";

export function TaskFacts({ task, myId, now }: { task: ApprovalTaskDetail; myId: string; now: number }) {
  const { t } = useTranslation("inbox");
  const held = holder(task, myId);
  const due = dueState(task, now);
  return (
    <dl className="facts">
      <div>
        <dt>{t("task.status")}</dt>
        <dd>
          <span className={`badge task-status task-status--${task.status}`}>{statusText(task, t)}</span>
        </dd>
      </div>
      <div>
        <dt>{t("task.priority")}</dt>
        <dd>{t("priority.value", { value: task.priority, label: t(`priority.${priorityLabel(task.priority)}`) })}</dd>
      </div>
      <div>
        <dt>{t("task.due")}</dt>
        <dd className={`due due--${due}`}>
          <DueTime iso={task.due_at} overdue={due === "overdue"} now={now} />
          {task.due_at && task.deadline_policy ? (
            <span className="muted">
              {t("task.thenPolicy", {
                policy: t(`task.policies.${task.deadline_policy}`, { defaultValue: task.deadline_policy }),
              })}
            </span>
          ) : null}
        </dd>
      </div>
      {/* A policy task is held by nobody: its assignees answer it one by one (see its approval section). */}
      {task.policy ? null : (
        <div>
          <dt>{t("task.heldBy")}</dt>
          <dd>{held === "other" ? task.assigned_to : t(`holder.${held}`)}</dd>
        </div>
      )}
      <div>
        <dt>{t("task.node")}</dt>
        <dd>
          <code>{task.node_name}</code>
        </dd>
      </div>
      <div>
        <dt>{t("task.created")}</dt>
        <dd>
          <TaskTime iso={task.created_at} now={now} />
        </dd>
      </div>
      {task.completed_at ? (
        <div>
          <dt>{t("task.finished")}</dt>
          <dd>
            <TaskTime iso={task.completed_at} now={now} />
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
