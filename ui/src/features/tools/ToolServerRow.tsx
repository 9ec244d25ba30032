/** One tool server: where it is, its health and statistics, and Check / Discover / Delete. */

import { useState } from "react";
import { checkToolServerHealth, discoverTools, type DiscoveryResult, type ToolServer } from "../../api/tools";
import { useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { callStats, statusTone } from "./toolView";
import { ProblemMessage } from "../../components/ProblemMessage";
import { When } from "../../components/When";

interface Props {
  server: ToolServer;
  onChanged: () => void;
  onDelete: () => void;
}

function discoverySummary(result: DiscoveryResult): string {
  const parts = [
    `${result.added.length} added`,
    `${result.updated.length} updated`,
    `${result.deactivated.length} deactivated`,
  ];
  return `Discovery done: ${parts.join(", ")}.`;
}

export function ToolServerRow({ server, onChanged, onDelete }: Props) {
  const { client } = useServices();
  const action = useAction();
  const [note, setNote] = useState<string | null>(null);

  const run = (task: () => Promise<string>) =>
    void action
      .run(async () => {
        setNote(null);
        setNote(await task());
      })
      .then((ok) => {
        if (ok) onChanged();
      });

  return (
    <tr>
      <td className="server-cell">
        <strong>{server.name}</strong> <code className="muted">{server.server_id}</code>
        <span className="server-url muted">
          <code>{server.endpoint_url}</code>
        </span>
        {server.credentials_hint ? (
          <span className="muted server-credential">Bearer credential {server.credentials_hint}</span>
        ) : null}
        {server.description ? <span className="server-description">{server.description}</span> : null}
      </td>
      <td>
        <span className={`badge status status--${statusTone(server.status)}`}>{server.status}</span>
        {server.last_error ? (
          <span className="server-error" title={server.last_error}>
            {server.last_error}
          </span>
        ) : null}
      </td>
      <td>
        <When iso={server.last_health_check} none="never" />
      </td>
      <td>{server.tool_count}</td>
      <td>{callStats(server)}</td>
      <td>
        <div className="row-actions">
          <button
            type="button"
            className="button button--small"
            disabled={action.pending}
            aria-label={`Check the health of ${server.name}`}
            onClick={() =>
              run(async () => {
                const checked = await checkToolServerHealth(client, server.id);
                return `Health check: ${checked.status}${checked.last_error ? ` (${checked.last_error})` : ""}.`;
              })
            }
          >
            Check health
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={action.pending}
            aria-label={`Discover the tools of ${server.name}`}
            onClick={() => run(async () => discoverySummary(await discoverTools(client, server.id)))}
          >
            Discover tools
          </button>
          <button
            type="button"
            className="button button--small button--danger-outline"
            disabled={action.pending}
            aria-label={`Delete ${server.name}`}
            onClick={onDelete}
          >
            Delete
          </button>
        </div>
        {action.pending ? (
          <span className="muted" role="status">
            Working…
          </span>
        ) : null}
        {note && !action.pending ? (
          <span className="muted" role="status">
            {note}
          </span>
        ) : null}
        <ProblemMessage error={action.error} context={`${server.name}`} />
      </td>
    </tr>
  );
}
