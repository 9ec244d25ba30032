/** The agent store: search published agents, see ratings and use, open an agent's page. */

import { Link } from "react-router";
import { useEffect, useState } from "react";
import { listAgents } from "../../api/endpoints";
import { useServices } from "../../app/context";
import { useLoad } from "../../hooks/useLoad";
import { routeHref } from "../../lib/paths";
import { formatCount, formatRating } from "./rating";
import { ProblemMessage } from "../../components/ProblemMessage";
import { StartChatButton } from "../../components/StartChatButton";

const SEARCH_DELAY_MS = 300;

export function StorePage() {
  const { client } = useServices();
  const [query, setQuery] = useState("");
  const [search, setSearch] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setSearch(query.trim()), query ? SEARCH_DELAY_MS : 0);
    return () => clearTimeout(timer);
  }, [query]);
  const agents = useLoad(
    (signal) => listAgents(client, { q: search || undefined, limit: 100 }, signal),
    [client, search],
  );
  const items = agents.data?.items ?? [];

  return (
    <section className="page store" aria-labelledby="store-title">
      <h1 id="store-title">Agent store</h1>
      <p className="muted">Agents published in your organisation. Open one to see its versions and reviews.</p>
      <label className="field field--inline">
        <span className="field-label">Search the store</span>
        <input
          type="search"
          value={query}
          placeholder="Name, description or tag"
          onChange={(e) => setQuery(e.target.value)}
        />
      </label>
      <ProblemMessage error={agents.error} context="Could not load the store" onRetry={agents.reload} />
      <p className="visually-hidden" role="status">
        {agents.loading ? "Searching…" : `${items.length} agents`}
      </p>
      {agents.loading && !agents.data ? <p className="muted">Loading…</p> : null}
      {agents.data && items.length === 0 ? (
        <p className="muted">{search ? "No agent matches." : "No published agents yet."}</p>
      ) : null}
      <ul className="card-grid" aria-busy={agents.loading}>
        {items.map((agent) => (
          <li key={agent.id} className="card agent-card">
            <div className="card-head">
              <h2 className="card-title">
                <Link to={routeHref({ name: "agent", agentId: agent.id })}>{agent.name}</Link>
              </h2>
              {agent.current_version ? <span className="badge">v{agent.current_version.version}</span> : null}
            </div>
            {agent.description ? <p className="card-text">{agent.description}</p> : null}
            <p className="card-meta muted">
              <span>{formatRating(agent.average_rating)}</span>
              <span aria-hidden="true"> · </span>
              <span>
                {formatCount(agent.download_count)} {agent.download_count === 1 ? "user" : "users"}
              </span>
            </p>
            {agent.tags.length > 0 ? (
              <p className="card-tags">
                {agent.tags.map((tag) => (
                  <span key={tag} className="tag">
                    {tag}
                  </span>
                ))}
              </p>
            ) : null}
            <div className="card-actions">
              <StartChatButton agent={agent} small />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
