/** Shows an API error: its detail, for validation problems each field's message, for 429 when to try again. */

import type { ApiError } from "../api/problem";
import { RetryAfterNote } from "./RetryAfterNote";

interface Props {
  error: ApiError | null;
  /** Short context, e.g. "Could not load chats". */
  context?: string;
  onRetry?: () => void;
}

export function ProblemMessage({ error, context, onRetry }: Props) {
  if (!error) return null;
  return (
    <div className="problem" role="alert">
      <p className="problem-detail">
        {context ? <strong>{context}: </strong> : null}
        {error.status === 429 && error.title && error.detail && error.title !== error.detail ? (
          <span className="problem-title">{error.title}. </span>
        ) : null}
        {error.detail || error.title}
      </p>
      {error.retryAfterSeconds !== null && (error.status === 429 || error.status === 503) ? (
        <RetryAfterNote key={`${error.detail}-${error.retryAfterSeconds}`} seconds={error.retryAfterSeconds} />
      ) : null}
      {error.errors.length > 0 ? (
        <ul className="problem-errors">
          {error.errors.map((item, index) => (
            <li key={`${item.path}-${index}`}>
              {item.path ? <code>{item.path}</code> : null} {item.message}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" className="button button--small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
