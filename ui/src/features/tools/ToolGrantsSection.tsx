/** Tool permissions: which agents may use which tools on your behalf; grant and revoke. */

import { useState } from "react";
import { grantLabel } from "./grants";
import { listToolGrants, listTools, revokeToolGrant, type ToolGrant } from "../../api/tools";
import { useChatStore, useServices } from "../../app/context";
import { useConfirmedAction } from "../../hooks/useConfirmedAction";
import { useLoad } from "../../hooks/useLoad";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { NewToolGrantForm } from "./NewToolGrantForm";
import { ProblemMessage } from "../../components/ProblemMessage";
import { When } from "../../components/When";

export function ToolGrantsSection() {
  const { client } = useServices();
  const agents = useChatStore((s) => s.agents.data);
  const grants = useLoad((signal) => listToolGrants(client, { limit: 200 }, signal), [client]);
  const tools = useLoad((signal) => listTools(client, { limit: 200 }, signal), [client]);
  const [showRevoked, setShowRevoked] = useState(false);
  const revoke = useConfirmedAction(
    (grant: ToolGrant) => revokeToolGrant(client, grant.id),
    () => grants.reload(),
  );
  const toolList = tools.data?.items ?? [];
  const all = grants.data?.items ?? [];
  const shown = showRevoked ? all : all.filter((g) => !g.revoked_at);
  const label = (grant: ToolGrant) => grantLabel(grant, agents, toolList);

  return (
    <section aria-labelledby="grants-title" className="tool-grants">
      <h2 id="grants-title">Tool permissions</h2>
      <p className="muted">
        Some tools act as you (they read or change things in your name). An agent may call such a tool only after you
        grant it here; revoking takes effect on the agent&apos;s next call.
      </p>
      <NewToolGrantForm agents={agents} tools={toolList} onGranted={grants.reload} />
      <ProblemMessage error={grants.error} context="Could not load your tool permissions" onRetry={grants.reload} />
      <ProblemMessage error={tools.error} context="Could not load the tools" onRetry={tools.reload} />
      <label className="checkbox">
        <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
        Show revoked permissions
      </label>
      {grants.data && shown.length === 0 ? <p className="muted">No agent may use a tool on your behalf.</p> : null}
      {shown.length > 0 ? (
        <div className="table-wrap">
          <table className="key-table">
            <caption className="visually-hidden">Agents allowed to use tools on your behalf</caption>
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Tool</th>
                <th scope="col">Granted</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((grant) => {
                const names = label(grant);
                return (
                  <tr key={grant.id} className={grant.revoked_at ? "key--inactive" : undefined}>
                    <td>{names.agent}</td>
                    <td>
                      <code>{names.tool}</code>
                      {grant.revoked_at ? <span className="badge badge--muted">revoked</span> : null}
                    </td>
                    <td>
                      <When iso={grant.created_at} none="—" />
                    </td>
                    <td>
                      {grant.revoked_at ? (
                        <span className="muted">
                          revoked <When iso={grant.revoked_at} none="" />
                        </span>
                      ) : (
                        <button
                          type="button"
                          className="button button--small button--danger-outline"
                          onClick={() => revoke.ask(grant)}
                          aria-label={`Revoke ${names.agent}'s use of ${names.tool}`}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog title="Revoke this permission?" confirmLabel="Revoke" danger {...revoke.dialog}>
        {revoke.target ? (
          <p>
            {label(revoke.target).agent} can no longer call {label(revoke.target).tool} on your behalf.
          </p>
        ) : null}
      </ConfirmDialog>
    </section>
  );
}
