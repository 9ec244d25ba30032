/** One discovered tool: what it does, its status (developers change it), and its input schema. */

import { TOOL_STATUSES, updateTool, type Tool, type ToolStatus } from "../../api/tools";
import { useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { statusTone } from "./toolView";
import { ProblemMessage } from "../../components/ProblemMessage";
import { ToolSchema } from "./ToolSchema";

interface Props {
  tool: Tool;
  serverName: string;
  onChanged: (tool: Tool) => void;
}

export function ToolCard({ tool, serverName, onChanged }: Props) {
  const { client } = useServices();
  const action = useAction();
  const statusId = `tool-status-${tool.id}`;
  return (
    <li className="card tool-card">
      <div className="card-head">
        <h3 className="card-title">
          <code>{tool.name}</code>
        </h3>
        <span className={`badge status status--${statusTone(tool.status)}`}>{tool.status}</span>
      </div>
      {tool.description ? <p className="card-text">{tool.description}</p> : null}
      <p className="card-meta muted">
        <span>on {serverName}</span>
        <span aria-hidden="true"> · </span>
        <span>v{tool.version}</span>
        <span aria-hidden="true"> · </span>
        <span>time limit {tool.max_execution_time} s</span>
        {tool.acts_on_behalf_of_user ? (
          <>
            <span aria-hidden="true"> · </span>
            <span>acts on the user&apos;s behalf (needs their grant)</span>
          </>
        ) : null}
      </p>
      {tool.tags.length > 0 ? (
        <p className="card-tags">
          {tool.tags.map((tag) => (
            <span key={tag} className="tag">
              {tag}
            </span>
          ))}
        </p>
      ) : null}
      <div className="card-actions">
        <label htmlFor={statusId} className="field-label">
          Status
        </label>
        <select
          id={statusId}
          value={tool.status}
          disabled={action.pending}
          onChange={(e) => {
            const status = e.target.value as ToolStatus;
            void action.run(async () => onChanged(await updateTool(client, tool.id, { status })));
          }}
        >
          {TOOL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <ProblemMessage error={action.error} context={`Could not update ${tool.name}`} />
      <ToolSchema tool={tool} />
    </li>
  );
}
