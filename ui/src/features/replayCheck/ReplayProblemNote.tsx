/**
 * A failed replay check call or approval, in plain words: the conflicts the server is known to
 * answer (nothing published, no conversations, a check required before approval) are said in
 * the person's language; anything else is shown as the server sent it.
 */

import { useTranslation } from "react-i18next";
import { ProblemMessage } from "../../components/ProblemMessage";
import { REPLAY_CHECK_ANCHOR } from "./api";
import { replayProblem } from "./report";

interface Props {
  error: unknown;
  /** Short, translated context for an unknown problem, e.g. "Could not decide". */
  context?: string;
}

export function ReplayProblemNote({ error, context }: Props) {
  const { t } = useTranslation("replayCheck");
  const known = replayProblem(error);
  if (!known) return <ProblemMessage error={error} context={context} />;
  return (
    <div className="problem replay-problem" role="alert" data-problem={known}>
      <p className="problem-detail">
        {t(`problem.${known}`)}
        {known === "checkRequired" ? (
          <>
            {" "}
            <a href={`#${REPLAY_CHECK_ANCHOR}`}>{t("title")}</a>
          </>
        ) : null}
      </p>
    </div>
  );
}
