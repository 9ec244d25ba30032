/**
 * The inbox's tasks as a table; on a narrow screen each row becomes a card whose cells carry
 * their column's name (`data-label`, see inbox.css), so no column is cut off.
 */

import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { ApprovalTask } from "../../api/approvals";
import { routeHref } from "../../lib/paths";
import { DueTime, TaskTime } from "./TaskTime";
import { policyOf, stageLabel, statusText, tallyBadge } from "./approvalView";
import "./approvals.css";
import { dueState, holder, priorityLabel } from "./taskView";

interface Props {
  tasks: readonly ApprovalTask[];
  myId: string;
  now: number;
}

export function TaskTable({ tasks, myId, now }: Props) {
  const { t } = useTranslation("inbox");
  const { t: ta } = useTranslation("approvals");
  const columns = {
    priority: t("table.priority"),
    task: t("table.task"),
    status: t("table.status"),
    heldBy: t("table.heldBy"),
    due: t("table.due"),
    created: t("table.created"),
  };
  return (
    <div className="table-wrap task-table-wrap">
      <table className="task-table">
        <caption className="visually-hidden">{t("table.caption")}</caption>
        <thead>
          <tr>
            {Object.entries(columns).map(([key, label]) => (
              <th key={key} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => {
            const due = dueState(task, now);
            const held = holder(task, myId);
            const urgency = priorityLabel(task.priority);
            return (
              <tr key={task.task_id}>
                <td data-label={columns.priority} className="task-priority">
                  <span className={`priority priority--${urgency}`}>
                    {task.priority}
                    <span className="visually-hidden"> ({t(`priority.${urgency}`)})</span>
                  </span>
                </td>
                <td data-label={columns.task} className="task-cell">
                  <Link to={routeHref({ name: "task", taskId: task.task_id })} className="task-link">
                    {task.instruction || t("table.noInstruction")}
                  </Link>
                  <span className="muted task-node">{t("table.node", { name: task.node_name })}</span>
                  <PolicyBadges task={task} t={ta} />
                </td>
                <td data-label={columns.status}>
                  <span className={`badge task-status task-status--${task.status}`}>{statusText(task, t)}</span>
                </td>
                <td data-label={columns.heldBy}>{held === "nobody" ? t("table.none") : t(`holder.${held}`)}</td>
                <td data-label={columns.due} className={`due due--${due}`}>
                  <DueTime iso={task.due_at} overdue={due === "overdue"} now={now} />
                </td>
                <td data-label={columns.created}>
                  <TaskTime iso={task.created_at} now={now} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A policy task's stage and tally ("Stage 1 of 2 · Finance", "1/2 agreed"); nothing for a plain task. */
function PolicyBadges({ task, t }: { task: ApprovalTask; t: TFunction }) {
  const policy = policyOf(task);
  if (!policy) return null;
  const tally = tallyBadge(task);
  return (
    <span className="task-approval-cell">
      {policy.stages > 1 || policy.stage_name ? <span className="badge">{stageLabel(policy, t)}</span> : null}
      <span
        className="badge"
        title={t("approvals:tally.text", { agreements: task.agreements ?? 0, quorum: policy.quorum })}
      >
        {t("approvals:tally.badge", { tally })}
      </span>
    </span>
  );
}
