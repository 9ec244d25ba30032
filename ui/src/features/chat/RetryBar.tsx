/** After a failed or stopped run: what went wrong, and "Retry from the failed step". */

import type { ExecutionDetail } from "../../api/executions";
import type { ChatEntry } from "./chatState";

interface Props {
  entry: ChatEntry;
  executionId: string;
  onRetry: () => void;
}

/** The failed node and its error, from the live run's graph or the run's record. */
function failure(entry: ChatEntry, executionId: string): { status: string; node: string | null; error: string | null } {
  const run = entry.run;
  if (run && run.executionId === executionId && run.view.done) {
    const failed = run.view.graph.nodes.find((n) => n.status === "failed");
    const lastError = run.view.errors[run.view.errors.length - 1];
    return {
      status: run.view.done.status,
      node: failed?.node ?? lastError?.node ?? null,
      error: failed?.error ?? lastError?.message ?? null,
    };
  }
  const detail: ExecutionDetail | null | undefined = entry.records[executionId]?.data;
  const failed = detail?.nodes.find((n) => n.status === "failed");
  const info = detail?.error_info;
  const message = info && typeof info.message === "string" ? info.message : null;
  return {
    status: detail?.status ?? "failed",
    node: failed?.node_name ?? null,
    error: failed?.error_message ?? message,
  };
}

export function RetryBar({ entry, executionId, onRetry }: Props) {
  const { status, node, error } = failure(entry, executionId);
  const what = status === "cancelled" ? "The run was stopped" : "The run failed";
  return (
    <div className="retry-bar" role="status">
      <p className="retry-text">
        <strong>
          {what}
          {node ? ` at “${node}”` : ""}.
        </strong>{" "}
        {error ? <span className="muted">{error}</span> : null}
      </p>
      <button type="button" className="button button--small button--primary" onClick={onRetry}>
        Retry from the failed step
      </button>
    </div>
  );
}
