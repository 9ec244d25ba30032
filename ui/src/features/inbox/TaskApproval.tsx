/**
 * A policy task's approval: the stage, how many must agree, the tally so far, what is still
 * needed, who has answered and how, who may answer (and to whom parts were delegated), and the
 * "Delegate" action for a person who may still answer.
 */

import { useTranslation } from "react-i18next";
import type { ApprovalTaskDetail, TaskAnswer, TaskPolicy } from "../../api/approvals";
import { DelegateForm } from "./DelegateForm";
import { TaskTime } from "./TaskTime";
import {
  answerComment,
  assigneeEntries,
  myAnswer,
  nameFor,
  quorumLabel,
  stageLabel,
  stillNeeded,
} from "./approvalView";
import { isOpen } from "./taskView";
import "./approvals.css";

interface Props {
  task: ApprovalTaskDetail;
  policy: TaskPolicy;
  myId: string;
  now: number;
}

export function TaskApproval({ task, policy, myId, now }: Props) {
  const { t } = useTranslation("approvals");
  const agreements = task.agreements ?? 0;
  const disagreements = task.disagreements ?? 0;
  const needed = stillNeeded(task);
  const open = isOpen(task);
  const mine = myAnswer(task, myId);
  const answers = task.answers ?? [];
  const nameOf = nameFor(task, myId, t("answers.you"));
  return (
    <section className="approval" aria-labelledby="approval-title">
      <h2 id="approval-title">{t("title")}</h2>
      <p className="approval-stage">
        <strong>{stageLabel(policy, t)}</strong>
        <span className="approval-quorum">{quorumLabel(policy, t)}</span>
      </p>
      <div className="approval-tally">
        <progress
          max={policy.quorum}
          value={Math.min(agreements, policy.quorum)}
          aria-label={t("tally.label")}
          aria-valuetext={t("tally.text", { agreements, quorum: policy.quorum })}
        />
        <span data-testid="approval-tally">{t("tally.text", { agreements, quorum: policy.quorum })}</span>
        {disagreements > 0 ? <span className="muted">{t("tally.disagreements", { count: disagreements })}</span> : null}
      </div>
      {open ? (
        <p className="approval-needed" role="status">
          {needed > 0 ? t("needed.more", { count: needed }) : t("needed.none")}
        </p>
      ) : null}
      {mine ? (
        <p className="notice">
          {mine.agreed ? t("mine.agreed") : t("mine.disagreed")}
          {mine.on_behalf_of ? ` ${t("mine.onBehalfOf", { name: nameOf(mine.on_behalf_of) })}` : ""}
        </p>
      ) : null}
      <h3 id="approval-answers-title">{t("answers.title")}</h3>
      {answers.length === 0 ? (
        <p className="muted">{t("answers.none")}</p>
      ) : (
        <ul className="approval-answers" aria-labelledby="approval-answers-title">
          {answers.map((answer, index) => (
            <AnswerItem key={`${answer.by}-${index}`} answer={answer} myId={myId} now={now} nameOf={nameOf} />
          ))}
        </ul>
      )}
      <h3>{t("assignees.title")}</h3>
      <Assignees policy={policy} />
      {policy.delegations.length > 0 ? (
        <>
          <h3>{t("delegations.title")}</h3>
          <ul className="approval-delegations">
            {policy.delegations.map((delegation, index) => (
              <li key={index}>{t("delegations.item", { from: nameOf(delegation.from), to: nameOf(delegation.to) })}</li>
            ))}
          </ul>
        </>
      ) : null}
      {open && task.can_answer ? <DelegateForm taskId={task.task_id} myId={myId} /> : null}
    </section>
  );
}

interface AnswerProps {
  answer: TaskAnswer;
  myId: string;
  now: number;
  nameOf: (id: string) => string;
}

function AnswerItem({ answer, myId, now, nameOf }: AnswerProps) {
  const { t } = useTranslation("approvals");
  const comment = answerComment(answer);
  const name = answer.by === myId ? t("answers.you") : (answer.by_name ?? answer.by);
  return (
    <li className={`approval-answer approval-answer--${answer.agreed ? "agreed" : "disagreed"}`}>
      <span className="approval-answer-who">{name}</span>
      <span className={`badge approval-verdict approval-verdict--${answer.agreed ? "agreed" : "disagreed"}`}>
        {answer.agreed ? t("answers.agreed") : t("answers.disagreed")}
      </span>
      {answer.on_behalf_of ? (
        <span className="muted">{t("answers.onBehalfOf", { name: nameOf(answer.on_behalf_of) })}</span>
      ) : null}
      <span className="muted approval-answer-at">
        <TaskTime iso={answer.at} now={now} />
      </span>
      {comment ? <q className="approval-answer-comment">{comment}</q> : null}
    </li>
  );
}

function Assignees({ policy }: { policy: TaskPolicy }) {
  const { t } = useTranslation("approvals");
  const entries = assigneeEntries(policy);
  if (entries.length === 0) return <p className="muted">{t("assignees.none")}</p>;
  return (
    <ul className="approval-assignees">
      {entries.map(({ kind, name }) => (
        <li key={`${kind}-${name}`} className="tag">
          <span className="approval-assignee-kind">{t(`assignees.${kind}`)}</span>{" "}
          {kind === "roles" ? t(`common:roles.${name}`, { defaultValue: name }) : name}
        </li>
      ))}
    </ul>
  );
}
