/** A modal, searchable list of the tenant's published agents. */

import { useEffect, useRef, useState } from "react";
import { listAgents } from "../../api/endpoints";
import { toApiError, type ApiError } from "../../api/problem";
import type { AgentSummary } from "../../api/types";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";

interface Props {
  open: boolean;
  onClose: () => void;
  onPick: (agent: { id: string; name: string }) => void;
}

const SEARCH_DELAY_MS = 250;

export function AgentPicker({ open, onClose, onPick }: Props) {
  const { client } = useServices();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState("");
  const [agents, setAgents] = useState<AgentSummary[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      searchRef.current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    const timer = setTimeout(
      () => {
        setLoading(true);
        listAgents(client, { q: query.trim() || undefined, limit: 50 }, controller.signal)
          .then((page) => {
            setAgents(page.items);
            setError(null);
          })
          .catch((caught: unknown) => {
            if (!controller.signal.aborted) setError(toApiError(caught));
          })
          .finally(() => {
            if (!controller.signal.aborted) setLoading(false);
          });
      },
      query ? SEARCH_DELAY_MS : 0,
    );
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [client, open, query, attempt]);

  function pickFirst() {
    const first = agents[0];
    if (first) onPick(first);
  }

  return (
    <dialog
      ref={dialogRef}
      className="dialog agent-picker"
      aria-labelledby="agent-picker-title"
      onClose={onClose}
      onClick={(e) => {
        // A click on the backdrop targets the dialog itself, but so does one on its padding.
        const dialog = dialogRef.current;
        if (!dialog || e.target !== dialog) return;
        const r = dialog.getBoundingClientRect();
        const inside = e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom;
        if (!inside) onClose();
      }}
    >
      <div className="dialog-head">
        <h2 id="agent-picker-title">Start a chat with…</h2>
        <button type="button" className="button button--ghost" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </div>
      <label className="field">
        <span className="field-label">Search agents</span>
        <input
          type="search"
          ref={searchRef}
          value={query}
          placeholder="Name, description or tag"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              pickFirst();
            }
          }}
        />
      </label>
      <ProblemMessage error={error} context="Could not load agents" onRetry={() => setAttempt((n) => n + 1)} />
      <p className="visually-hidden" role="status">
        {loading ? "Searching…" : `${agents.length} agents`}
      </p>
      <ul className="agent-list" aria-busy={loading}>
        {agents.map((agent) => (
          <li key={agent.id}>
            <button type="button" className="agent-option" onClick={() => onPick(agent)}>
              <span className="agent-option-head">
                <span className="agent-name">{agent.name}</span>
                {agent.current_version ? <span className="badge">v{agent.current_version.version}</span> : null}
              </span>
              {agent.description ? <span className="agent-description">{agent.description}</span> : null}
              {agent.tags.length > 0 ? (
                <span className="agent-tags">
                  {agent.tags.map((tag) => (
                    <span key={tag} className="tag">
                      {tag}
                    </span>
                  ))}
                </span>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
      {!loading && !error && agents.length === 0 ? (
        <p className="muted">{query ? "No agent matches." : "No published agents yet."}</p>
      ) : null}
    </dialog>
  );
}
