/**
 * One exchange in the sandbox: what the developer sent, the agent's answer as Markdown (as in
 * the chat), the person the run waits for with a link to the inbox task, and what went wrong.
 */

import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSession } from "../../../../app/context";
import { MessageBody } from "../../../../components/MessageBody";
import { ProblemMessage } from "../../../../components/ProblemMessage";
import { routeHref } from "../../../../lib/paths";
import { canReview } from "../../../../session/roles";
import { answerOf, turnOutcome, type SandboxTurn } from "./session";

export function SandboxTurnView({ turn }: { turn: SandboxTurn }) {
  const { t } = useTranslation("sandbox");
  const session = useSession();
  const reviewer = session.status === "ready" && canReview(session.me.role);
  const outcome = turnOutcome(turn);
  const answer = answerOf(turn);
  const going = outcome === "going" || outcome === "waiting";
  const waiting = turn.active ? turn.view.waiting : null;
  return (
    <>
      <article className="message message--user">
        <header className="message-meta">
          <span className="message-role">{t("you")}</span>
        </header>
        <MessageBody text={turn.said} />
      </article>
      {answer || going ? (
        <article
          className={`message message--assistant${outcome === "failed" ? " message--failed" : ""}`}
          aria-busy={going}
          data-outcome={outcome}
        >
          <header className="message-meta">
            <span className="message-role">{t("agent")}</span>
            {outcome === "failed" || outcome === "cancelled" ? (
              <span className="message-flag">{t(`outcome.${outcome}`)}</span>
            ) : null}
          </header>
          {going && turn.view.thought ? <p className="thought">{turn.view.thought}</p> : null}
          {answer ? (
            <MessageBody text={answer} />
          ) : (
            <p className="muted typing">{waiting ? t("waiting.placeholder") : t("working")}</p>
          )}
        </article>
      ) : null}
      {waiting ? (
        <div className="waiting-card" role="status">
          <p className="waiting-title">
            <strong>{t("waiting.title", { node: waiting.node })}</strong>
          </p>
          {waiting.instruction ? <p className="waiting-instruction">{waiting.instruction}</p> : null}
          <p className="muted waiting-hint">
            {t("waiting.hint")}{" "}
            {waiting.taskId && reviewer ? (
              <Link to={routeHref({ name: "task", taskId: waiting.taskId })} target="_blank" rel="noopener">
                {t("waiting.openTask")}
              </Link>
            ) : waiting.taskId ? (
              t("waiting.forReviewers")
            ) : null}
          </p>
        </div>
      ) : null}
      {turn.view.errors.length > 0 ? (
        <div className="run-errors" role="alert">
          {turn.view.errors.map((error, index) => (
            <p key={index} className="run-error">
              {error.node ? <strong>{t("errorAt", { node: error.node })}</strong> : null}
              {error.message}
            </p>
          ))}
        </div>
      ) : null}
      <ProblemMessage error={turn.problem} context={turn.executionId ? t("lost") : t("notStarted")} />
    </>
  );
}
