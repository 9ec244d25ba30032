/** What one node did in this run: each of its runs' state, attempts, duration, tokens, error, input and output. */

import { useTranslation } from "react-i18next";
import type { ApiError } from "../../api/problem";
import { ProblemMessage } from "../../components/ProblemMessage";
import { formatNumber, useLocale } from "../../lib/format";
import type { NodeExecution } from "../../api/executions";
import type { NodeRun } from "../nodeRuns";
import { formatDuration, formatState } from "./format";
import { nodeName, typeLabel } from "./labels";
import { NodeLogs } from "./NodeLogs";
import { PaidByFact } from "./PaidByFact";
import type { NodeView } from "./overlay";
import type { RerunResult } from "./rerun";
import { RerunFromHere } from "./RerunFromHere";

/** What "run again from here" needs: the ended run, and how to follow the run it starts. */
export interface RerunTarget {
  executionId: string;
  onStarted: (result: RerunResult) => void;
}

interface Props {
  id: string;
  node: NodeView;
  /** The recorded node executions of the run (all nodes); null while there is no record yet. */
  records: readonly NodeExecution[] | null;
  loading: boolean;
  error: ApiError | null;
  /** Whether a run is shown at all (else only the chat's graph). */
  hasRun: boolean;
  /** Offered once the shown run has ended (and the view can follow a new run); else null. */
  rerun: RerunTarget | null;
  onClose: () => void;
}

export function NodeDetails({ id, node, records, loading, error, hasRun, rerun, onClose }: Props) {
  const { t } = useTranslation("run");
  const titleId = `${id}-title`;
  const byTask = new Map((records ?? []).map((r) => [r.task_id, r]));
  return (
    <section id={id} className="node-details" aria-labelledby={titleId} data-node-id={node.id}>
      <div className="node-details-head">
        <h3 id={titleId} className="node-details-title">
          {t("details.title", { name: nodeName(t, node) })}
        </h3>
        <button type="button" className="button button--small button--ghost" onClick={onClose}>
          {t("details.close")}
        </button>
      </div>
      <dl className="node-facts">
        <dt>{t("details.type")}</dt>
        <dd>{node.role === "node" ? typeLabel(t, node.type) : nodeName(t, node)}</dd>
        <dt>{t("details.state")}</dt>
        <dd className={`node-fact-state run-state--${node.state}`}>{t(`state.${node.state}`)}</dd>
        {node.description ? (
          <>
            <dt>{t("details.description")}</dt>
            <dd>{node.description}</dd>
          </>
        ) : null}
      </dl>
      <ProblemMessage error={error} context={t("details.loadError")} />
      {loading ? <p className="muted">{t("details.loading")}</p> : null}
      {node.role === "node" && node.runs.length === 0 ? (
        <p className="muted">{t(hasRun ? "details.noRuns" : "details.noRun")}</p>
      ) : null}
      {node.runs.length > 0 ? (
        <ol className="node-runs" aria-label={t("details.runs")}>
          {node.runs.map((run, i) => (
            <RunFacts
              key={run.id}
              run={run}
              index={i + 1}
              record={byTask.get(run.id) ?? null}
              open={i === node.runs.length - 1}
              rerun={node.role === "node" ? rerun : null}
            />
          ))}
        </ol>
      ) : null}
    </section>
  );
}

function RunFacts({
  run,
  index,
  record,
  open,
  rerun,
}: {
  run: NodeRun;
  index: number;
  record: NodeExecution | null;
  open: boolean;
  rerun: RerunTarget | null;
}) {
  const { t } = useTranslation("run");
  const locale = useLocale();
  const attempts = record ? record.retry_count + 1 : Math.max(run.attempt, 1);
  const duration = formatDuration(record?.duration_ms ?? run.durationMs, locale);
  const tokens = record?.tokens_consumed ?? run.tokens;
  const error = record?.error_message ?? run.error;
  return (
    <li className="node-run" data-task-id={run.id} data-state={run.status}>
      <details open={open}>
        <summary>{t("details.run", { index, step: run.step, state: t(`state.${run.status}`) })}</summary>
        <dl className="node-facts">
          <dt>{t("details.attempts")}</dt>
          <dd>{formatNumber(attempts, locale)}</dd>
          <dt>{t("details.duration")}</dt>
          <dd>{duration || t("details.notRecorded")}</dd>
          <dt>{t("details.tokens")}</dt>
          <dd>{tokens !== null ? formatNumber(tokens, locale) : t("details.notRecorded")}</dd>
          <PaidByFact paidBy={record?.paid_by} />
          {error ? (
            <>
              <dt>{t("details.error")}</dt>
              <dd className="node-run-error">{error}</dd>
            </>
          ) : null}
        </dl>
        {run.reused || record?.status === "skipped" ? <p className="muted">{t("details.reused")}</p> : null}
        {rerun ? (
          <RerunFromHere
            key={`${rerun.executionId}:${run.id}`}
            executionId={rerun.executionId}
            taskId={run.id}
            inputState={record?.input_state}
            onStarted={rerun.onStarted}
          />
        ) : null}
        <StateBlock label={t("details.input")} value={record?.input_state} />
        <StateBlock label={t("details.output")} value={record?.output_state} />
        <NodeLogs lines={record?.logs ?? []} />
      </details>
    </li>
  );
}

function StateBlock({ label, value }: { label: string; value: unknown }) {
  const { t } = useTranslation("run");
  return (
    <div className="node-state-block">
      <h4 className="node-state-label">{label}</h4>
      {value === undefined || value === null ? (
        <p className="muted">{t("details.notRecorded")}</p>
      ) : (
        <pre className="node-state-json">{formatState(value)}</pre>
      )}
    </div>
  );
}
