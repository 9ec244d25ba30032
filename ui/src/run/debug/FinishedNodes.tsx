/**
 * What each finished node of a paused run read and wrote (`GET /executions/{id}`'s node
 * records), folded per node, so the developer sees how the state came to be what it is.
 */

import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { getExecution } from "../../api/executions";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { formatState } from "../graph/format";

export function FinishedNodes({ executionId }: { executionId: string }) {
  const { t } = useTranslation("debugger");
  const { client } = useServices();
  // Read once per pause: the panel is mounted afresh at each.
  const run = useQuery({
    queryKey: ["execution-debug-nodes", executionId],
    queryFn: ({ signal }) => getExecution(client, executionId, signal),
    staleTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
  if (run.error) return <ProblemMessage error={run.error} context={t("nodes.loadError")} />;
  const finished = (run.data?.nodes ?? []).filter((node) => node.status === "completed" || node.status === "failed");
  if (finished.length === 0) return null;
  return (
    <div className="debugger-nodes">
      <h4 className="debugger-subtitle">{t("nodes.title")}</h4>
      {finished.map((node) => (
        <details key={node.task_id} className="debugger-node" data-node-name={node.node_name}>
          <summary>{t("nodes.summary", { node: node.node_name, step: node.step })}</summary>
          <p className="muted">{t("nodes.input")}</p>
          <pre className="debugger-state">{formatState(node.input_state ?? null)}</pre>
          <p className="muted">{t("nodes.output")}</p>
          <pre className="debugger-state">{formatState(node.output_state ?? null)}</pre>
        </details>
      ))}
    </div>
  );
}
