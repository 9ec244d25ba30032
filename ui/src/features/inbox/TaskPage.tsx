/**
 * One review task: what is asked, the run's state, claim/release/cancel and the answer form.
 * The page follows the task's real state: it refetches while the task is open, so a task that
 * someone else claims, answers or cancels stops offering its actions here.
 */

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { ApprovalTaskDetail } from "../../api/approvals";
import { useSession } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useLocale } from "../../lib/format";
import { routeHref } from "../../lib/paths";
import { isAdmin } from "../../session/roles";
import { asProblem, useTask } from "./queries";
import { TaskActions } from "./TaskActions";
import { TaskAnswerForm } from "./TaskAnswerForm";
import { TaskApproval } from "./TaskApproval";
import { TaskFacts } from "./TaskFacts";
import { mayAnswer, policyOf } from "./approvalView";
import { describeEscalation, isOpen } from "./taskView";
import { formatTimestamp } from "../../text/time";

/**
 * What this page did to the task that the task's row may not show yet: answered it (for a policy
 * task, `answeredPart` when more answers are still needed), was refused because it was no longer
 * open (409), or asked to cancel it.
 */
type Outcome = "answered" | "answeredPart" | "conflict" | "cancelling";

export function TaskPage({ taskId }: { taskId: string }) {
  const { t } = useTranslation("inbox");
  const session = useSession();
  const me = session.status === "ready" ? session.me : null;
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Only an answer that settles the task (or a cancel) makes the run close it within moments.
  const task = useTask(taskId, outcome !== null && outcome !== "answeredPart");
  const detail = task.data;

  return (
    <section className="page task-page" aria-labelledby="task-title">
      <p className="breadcrumb">
        <Link to={routeHref({ name: "reviews" })}>{t("task.back")}</Link>
      </p>
      <ProblemMessage
        error={asProblem(task.error)}
        context={t("task.loadFailed")}
        onRetry={() => void task.refetch()}
      />
      {!detail && task.isPending ? <p role="status">{t("task.loading")}</p> : null}
      {detail ? (
        <TaskDetail
          task={detail}
          now={task.dataUpdatedAt || Date.now()}
          myId={me?.id ?? ""}
          admin={me ? isAdmin(me.role) : false}
          outcome={outcome}
          onOutcome={setOutcome}
        />
      ) : null}
    </section>
  );
}

interface DetailProps {
  task: ApprovalTaskDetail;
  now: number;
  myId: string;
  admin: boolean;
  outcome: Outcome | null;
  onOutcome: (outcome: Outcome) => void;
}

function TaskDetail({ task, now, myId, admin, outcome, onOutcome }: DetailProps) {
  const { t } = useTranslation("inbox");
  const locale = useLocale();
  const policy = policyOf(task);
  // Actions and the form only for a task that is open and that this page has not just settled;
  // a policy task's part answered here leaves the task open for the others.
  const actionable = isOpen(task) && (outcome === null || outcome === "answeredPart");
  const answerable = actionable && outcome === null && mayAnswer(task);
  return (
    <>
      <h1 id="task-title">{task.instruction || t("task.untitled")}</h1>
      <TaskFacts task={task} myId={myId} now={now} />
      {actionable ? (
        <TaskActions
          task={task}
          myId={myId}
          admin={admin}
          holdable={policy === null}
          onCancelled={() => onOutcome("cancelling")}
        />
      ) : null}
      <TaskNotice status={task.status} outcome={outcome} />
      {policy ? <TaskApproval task={task} policy={policy} myId={myId} now={now} /> : null}
      <section aria-labelledby="state-title">
        <h2 id="state-title">{t("task.stateTitle")}</h2>
        <p className="muted">{t("task.stateHint")}</p>
        <pre className="code-block state-block" tabIndex={0}>
          <code>{JSON.stringify(task.current_state, null, 2)}</code>
        </pre>
      </section>
      {answerable ? (
        <TaskAnswerForm
          key={task.task_id}
          task={task}
          onCompleted={(result) => onOutcome(result.decided === false ? "answeredPart" : "answered")}
          onConflict={() => onOutcome("conflict")}
        />
      ) : null}
      {task.human_input ? (
        <section aria-labelledby="given-title">
          <h2 id="given-title">{t("task.givenTitle")}</h2>
          <pre className="code-block" tabIndex={0}>
            <code>{JSON.stringify(task.human_input, null, 2)}</code>
          </pre>
          {task.completion_note ? <p>{t("task.note", { note: task.completion_note })}</p> : null}
        </section>
      ) : null}
      {task.escalation_history.length > 0 ? (
        <section aria-labelledby="escalation-title">
          <h2 id="escalation-title">{t("task.escalationsTitle")}</h2>
          <ol className="escalations">
            {task.escalation_history.map((step, index) => (
              <li key={index}>{describeEscalation(step, t, (iso) => formatTimestamp(iso, locale))}</li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}

/** What has become of the task: this page's own outcome first, else why a closed task is closed. */
function TaskNotice({ status, outcome }: { status: string; outcome: Outcome | null }) {
  const { t } = useTranslation("inbox");
  const open = isOpen({ status });
  if (outcome === "answeredPart" && open) {
    return (
      <p className="notice" role="status">
        {t("approvals:recorded")} <Link to={routeHref({ name: "reviews" })}>{t("task.backToInbox")}</Link>
      </p>
    );
  }
  if (outcome === "answered" || outcome === "answeredPart") {
    return (
      <p className="notice" role="status">
        {t("task.answered")} <Link to={routeHref({ name: "reviews" })}>{t("task.backToInbox")}</Link>
      </p>
    );
  }
  if (outcome === "conflict" && status === "completed") {
    return (
      <p className="problem" role="alert">
        {t("task.beaten")}
      </p>
    );
  }
  if (outcome === "cancelling" && open) {
    return (
      <p className="notice" role="status">
        {t("task.cancelling")}
      </p>
    );
  }
  if (open) return null;
  const closed = ["completed", "cancelled", "expired"].includes(status) ? t(`task.closed.${status}`) : null;
  return closed ? (
    <p className="notice" role="status">
      {closed}
    </p>
  ) : null;
}
