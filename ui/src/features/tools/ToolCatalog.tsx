/** The discovered tools: search, filter by server and status, change a tool's status, read its input schema. */

import { useEffect, useState } from "react";
import {
  TOOL_STATUSES,
  listTools,
  type Tool,
  type ToolFilter,
  type ToolServer,
  type ToolStatus,
} from "../../api/tools";
import { useServices } from "../../app/context";
import { useLoad } from "../../hooks/useLoad";
import { Pager } from "../../components/Pager";
import { ProblemMessage } from "../../components/ProblemMessage";
import { ToolCard } from "./ToolCard";

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

interface Props {
  servers: readonly ToolServer[];
  /** Bumped when the servers change, to reload the tools. */
  version: number;
}

export function ToolCatalog({ servers, version }: Props) {
  const { client } = useServices();
  const [query, setQuery] = useState("");
  const [filter, setFilter] = useState<ToolFilter>({});
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState("");
  useEffect(() => {
    const timer = setTimeout(
      () => {
        setSearch(query.trim());
        setOffset(0);
      },
      query ? SEARCH_DELAY_MS : 0,
    );
    return () => clearTimeout(timer);
  }, [query]);
  const tools = useLoad(
    (signal) => listTools(client, { ...filter, q: search || undefined, limit: PAGE_SIZE, offset }, signal),
    [client, search, filter, offset, version],
  );
  const items = tools.data?.items ?? [];
  const serverName = (id: string) => servers.find((s) => s.id === id)?.name ?? "unknown server";
  const replace = (tool: Tool) => {
    if (tools.data) tools.set({ ...tools.data, items: tools.data.items.map((t) => (t.id === tool.id ? tool : t)) });
  };
  const patch = (next: Partial<ToolFilter>) => {
    setFilter((f) => ({ ...f, ...next }));
    setOffset(0);
  };

  return (
    <section aria-labelledby="catalog-title" className="admin-panel">
      <h2 id="catalog-title">Discovered tools</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter tools">
        <label className="field">
          <span className="field-label">Search</span>
          <input
            type="search"
            value={query}
            placeholder="Name or description"
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Server</span>
          <select value={filter.server ?? ""} onChange={(e) => patch({ server: e.target.value || undefined })}>
            <option value="">Any</option>
            {servers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Status</span>
          <select
            value={filter.status ?? ""}
            onChange={(e) => patch({ status: (e.target.value || undefined) as ToolStatus | undefined })}
          >
            <option value="">Any</option>
            {TOOL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ProblemMessage error={tools.error} context="Could not load the tools" onRetry={tools.reload} />
      <p className="visually-hidden" role="status">
        {tools.loading ? "Loading tools…" : tools.data ? `${tools.data.total} tools` : ""}
      </p>
      {tools.data && items.length === 0 ? (
        <p className="muted">{search || filter.server || filter.status ? "No tool matches." : "No tools yet."}</p>
      ) : null}
      <ul className="tool-list" aria-busy={tools.loading}>
        {items.map((tool) => (
          <ToolCard key={tool.id} tool={tool} serverName={serverName(tool.topic_server_id)} onChanged={replace} />
        ))}
      </ul>
      {tools.data ? (
        <Pager
          label="Tool pages"
          total={tools.data.total}
          limit={PAGE_SIZE}
          offset={offset}
          count={items.length}
          disabled={tools.loading}
          onOffset={setOffset}
        />
      ) : null}
    </section>
  );
}
