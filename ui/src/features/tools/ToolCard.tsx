/** One discovered tool: what it does, its status (developers change it), and its input schema. */

import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import { TOOL_STATUSES, type Tool, type ToolStatus } from "../../api/tools";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TagList } from "../../components/TagList";
import { formatNumber, useLocale } from "../../lib/format";
import { updateToolStatusMutation } from "./queries";
import { ToolSchema } from "./ToolSchema";
import { statusTone } from "./toolView";

export function ToolCard({ tool, serverName }: { tool: Tool; serverName: string }) {
  const { t } = useTranslation("tools");
  const locale = useLocale();
  const { client } = useServices();
  const update = useMutation(updateToolStatusMutation(client));
  const statusId = `tool-status-${tool.id}`;
  return (
    <li className="card tool-card">
      <div className="card-head">
        <h3 className="card-title">
          <code>{tool.name}</code>
        </h3>
        <span className={`badge status status--${statusTone(tool.status)}`}>
          {t(`status.${tool.status}`, { defaultValue: tool.status })}
        </span>
      </div>
      {tool.description ? <p className="card-text">{tool.description}</p> : null}
      <p className="card-meta muted">
        <span>{t("catalog.onServer", { name: serverName })}</span>
        <span aria-hidden="true"> · </span>
        <span>v{tool.version}</span>
        <span aria-hidden="true"> · </span>
        <span>{t("catalog.timeLimit", { seconds: formatNumber(tool.max_execution_time, locale) })}</span>
        {tool.acts_on_behalf_of_user ? (
          <>
            <span aria-hidden="true"> · </span>
            <span>{t("catalog.actsAsUser")}</span>
          </>
        ) : null}
      </p>
      <TagList tags={tool.tags} className="card-tags" />
      <div className="card-actions">
        <label htmlFor={statusId} className="field-label">
          {t("catalog.status")}
        </label>
        <select
          id={statusId}
          value={tool.status}
          disabled={update.isPending}
          onChange={(e) => update.mutate({ toolId: tool.id, status: e.target.value as ToolStatus })}
        >
          {TOOL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <ProblemMessage
        error={update.error && toApiError(update.error)}
        context={t("catalog.updateError", { name: tool.name })}
      />
      <ToolSchema tool={tool} />
    </li>
  );
}
