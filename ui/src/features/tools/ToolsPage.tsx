/** Developers: the tenant's MCP tool servers and the tools discovered on them. */

import { useCallback, useState } from "react";
import { listToolServers } from "../../api/tools";
import { useServices } from "../../app/context";
import { useLoad } from "../../hooks/useLoad";
import { ToolCatalog } from "./ToolCatalog";
import { ToolServersSection } from "./ToolServersSection";

export function ToolsPage() {
  const { client } = useServices();
  const servers = useLoad((signal) => listToolServers(client, { limit: 200 }, signal), [client]);
  // Registering, discovering or deleting a server changes the tool list too.
  const [toolsVersion, setToolsVersion] = useState(0);
  const { reload } = servers;
  const changed = useCallback(() => {
    reload();
    setToolsVersion((n) => n + 1);
  }, [reload]);

  return (
    <section className="page page--wide tools" aria-labelledby="tools-title">
      <h1 id="tools-title">Tools</h1>
      <p className="muted">
        MCP servers your agents can call, and the tools discovered on them. Users grant an agent a tool on their account
        page before the agent may use it on their behalf.
      </p>
      <ToolServersSection servers={servers} onChanged={changed} />
      <ToolCatalog servers={servers.data?.items ?? []} version={toolsVersion} />
    </section>
  );
}
