/** After a failed or stopped run: what happened, and a button to retry it from where it ended. */

import { useTranslation } from "react-i18next";
import type { ChatEntry } from "./chatState";
import { runEnding } from "./runOutcome";

interface Props {
  entry: ChatEntry;
  executionId: string;
  onRetry: () => void;
}

export function RetryBar({ entry, executionId, onRetry }: Props) {
  const { t } = useTranslation("chat");
  const { outcome, node, error } = runEnding(entry, executionId);
  const stopped = outcome === "stopped";
  const headline = stopped
    ? node
      ? t("retry.stoppedAt", { node })
      : t("retry.stopped")
    : node
      ? t("retry.failedAt", { node })
      : t("retry.failed");
  return (
    <div className={`retry-bar${stopped ? " retry-bar--stopped" : ""}`} role="status">
      <p className="retry-text">
        <strong>{headline}</strong> {error ? <span className="muted">{error}</span> : null}
      </p>
      <button type="button" className="button button--small button--primary" onClick={onRetry}>
        {stopped ? t("retry.buttonStopped") : t("retry.button")}
      </button>
    </div>
  );
}
