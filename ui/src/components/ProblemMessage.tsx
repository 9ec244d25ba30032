/** Shows an API error: its detail, for validation problems each field's message, for 429 when to try again. */

import { useTranslation } from "react-i18next";
import { NETWORK_ERROR_STATUS, toApiError } from "../api/problem";
import { RetryAfterNote } from "./RetryAfterNote";

interface Props {
  /** An ApiError, or anything a query or mutation failed with; nothing is shown for null. */
  error: unknown;
  /** Short, translated context, e.g. "Could not load chats". */
  context?: string;
  onRetry?: () => void;
}

export function ProblemMessage({ error, context, onRetry }: Props) {
  const { t } = useTranslation();
  if (!error) return null;
  const problem = toApiError(error);
  // The server's own words stay as sent; only what the browser made up is translated.
  const detail = problem.status === NETWORK_ERROR_STATUS ? t("problem.network") : problem.detail || problem.title;
  return (
    <div className="problem" role="alert">
      <p className="problem-detail">
        {context ? <strong>{t("problem.context", { context })}</strong> : null}
        {problem.status === 429 && problem.title && problem.detail && problem.title !== problem.detail ? (
          <span className="problem-title">{t("problem.title", { title: problem.title })}</span>
        ) : null}
        {detail}
      </p>
      {problem.retryAfterSeconds !== null && (problem.status === 429 || problem.status === 503) ? (
        <RetryAfterNote key={`${problem.detail}-${problem.retryAfterSeconds}`} seconds={problem.retryAfterSeconds} />
      ) : null}
      {problem.errors.length > 0 ? (
        <ul className="problem-errors">
          {problem.errors.map((item, index) => (
            <li key={`${item.path}-${index}`}>
              {item.path ? <code>{item.path}</code> : null} {item.message}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" className="button button--small" onClick={onRetry}>
          {t("actions.tryAgain")}
        </button>
      ) : null}
    </div>
  );
}
