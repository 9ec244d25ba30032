/** MCP tool servers: register one, see status, last health check and call statistics; check, discover, delete. */

import { deleteToolServer, type ToolServer } from "../../api/tools";
import type { Page } from "../../api/types";
import { useServices } from "../../app/context";
import { useConfirmedAction } from "../../hooks/useConfirmedAction";
import type { Loaded } from "../../hooks/useLoad";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { NewToolServerForm } from "./NewToolServerForm";
import { ProblemMessage } from "../../components/ProblemMessage";
import { ToolServerRow } from "./ToolServerRow";

interface Props {
  servers: Loaded<Page<ToolServer>>;
  onChanged: () => void;
}

export function ToolServersSection({ servers, onChanged }: Props) {
  const { client } = useServices();
  const remove = useConfirmedAction(
    (server: ToolServer) => deleteToolServer(client, server.id),
    () => onChanged(),
  );
  const items = servers.data?.items ?? [];

  return (
    <section aria-labelledby="servers-title" className="admin-panel">
      <div className="page-head">
        <h2 id="servers-title">Servers</h2>
        <button type="button" className="button button--small" onClick={servers.reload} disabled={servers.loading}>
          {servers.loading ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <NewToolServerForm onCreated={onChanged} />
      <ProblemMessage error={servers.error} context="Could not load the servers" onRetry={servers.reload} />
      {servers.loading && !servers.data ? <p className="muted">Loading…</p> : null}
      {servers.data && items.length === 0 ? <p className="muted">No servers yet. Register one above.</p> : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="admin-table server-table" aria-busy={servers.loading}>
            <caption className="visually-hidden">MCP tool servers</caption>
            <thead>
              <tr>
                <th scope="col">Server</th>
                <th scope="col">Status</th>
                <th scope="col">Last check</th>
                <th scope="col">Tools</th>
                <th scope="col">Calls</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((server) => (
                <ToolServerRow
                  key={server.id}
                  server={server}
                  onChanged={onChanged}
                  onDelete={() => remove.ask(server)}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog title="Delete this server?" confirmLabel="Delete" danger {...remove.dialog}>
        <p>
          “{remove.target?.name}” is removed with its {remove.target?.tool_count ?? 0} tools and every grant of them.
          Agents using them fail their next call.
        </p>
      </ConfirmDialog>
    </section>
  );
}
