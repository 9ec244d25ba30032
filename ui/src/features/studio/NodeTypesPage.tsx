/** For developers: the node types agents are built from, with their config schemas. */

import { useEffect, useMemo, useState } from "react";
import { listNodeTypes } from "../../api/endpoints";
import { toApiError, type ApiError } from "../../api/problem";
import type { NodeTypeInfo } from "../../api/types";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";

function matches(node: NodeTypeInfo, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [node.type_name, node.display_name, node.description ?? "", node.category, ...node.tags].some((field) =>
    field.toLowerCase().includes(q),
  );
}

export function NodeTypesPage() {
  const { client } = useServices();
  const [nodeTypes, setNodeTypes] = useState<NodeTypeInfo[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [query, setQuery] = useState("");
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    listNodeTypes(client, controller.signal)
      .then((items) => {
        setNodeTypes(items);
        setError(null);
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(toApiError(caught));
      });
    return () => controller.abort();
  }, [client, attempt]);

  const visible = useMemo(() => (nodeTypes ?? []).filter((n) => matches(n, query)), [nodeTypes, query]);

  return (
    <section className="page node-types" aria-labelledby="node-types-title">
      <h1 id="node-types-title">Node types</h1>
      <p className="muted">The building blocks of agent workflows and the configuration each one takes.</p>
      <label className="field field--inline">
        <span className="field-label">Filter</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="llm, tool, human…" />
      </label>
      <ProblemMessage error={error} context="Could not load node types" onRetry={() => setAttempt((n) => n + 1)} />
      {nodeTypes === null && !error ? <p role="status">Loading…</p> : null}
      {nodeTypes !== null && visible.length === 0 ? <p className="muted">No node type matches.</p> : null}
      <ul className="node-type-list">
        {visible.map((node) => (
          <li key={node.type_name} className="node-type">
            <div className="node-type-head">
              <h2 className="node-type-name">{node.display_name}</h2>
              <code>{node.type_name}</code>
            </div>
            <p className="node-type-meta">
              <span className="badge">{node.category}</span>{" "}
              <span className="badge badge--muted">{node.execution}</span>
              {node.tags.map((tag) => (
                <span key={tag} className="tag">
                  {tag}
                </span>
              ))}
            </p>
            {node.description ? <p>{node.description}</p> : null}
            {node.required_services && node.required_services.length > 0 ? (
              <p className="muted">Needs: {node.required_services.join(", ")}</p>
            ) : null}
            <details>
              <summary>Config schema</summary>
              <pre className="code-block" tabIndex={0}>
                <code>{JSON.stringify(node.config_schema, null, 2)}</code>
              </pre>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
