/** A modal, searchable list of the tenant's published agents. */

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TagList } from "../../components/TagList";
import { agentSearchQuery } from "./queries";

interface Props {
  open: boolean;
  onClose: () => void;
  onPick: (agent: { id: string; name: string }) => void;
}

const SEARCH_DELAY_MS = 250;

export function AgentPicker({ open, onClose, onPick }: Props) {
  const { t } = useTranslation("chat");
  const { client } = useServices();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState("");
  // The search asked of the server: the typed text once typing pauses.
  const [searched, setSearched] = useState("");
  const search = useQuery({ ...agentSearchQuery(client, searched), enabled: open });
  const agents = search.data?.items ?? [];
  const loading = search.isFetching;
  const error = search.error ? toApiError(search.error) : null;

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
    const next = query.trim();
    if (next === searched) return;
    const timer = setTimeout(() => setSearched(next), next ? SEARCH_DELAY_MS : 0);
    return () => clearTimeout(timer);
  }, [query, searched]);

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
        <h2 id="agent-picker-title">{t("picker.title")}</h2>
        <button type="button" className="button button--ghost" onClick={onClose} aria-label={t("picker.close")}>
          ✕
        </button>
      </div>
      <label className="field">
        <span className="field-label">{t("picker.search")}</span>
        <input
          type="search"
          ref={searchRef}
          value={query}
          placeholder={t("picker.placeholder")}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              pickFirst();
            }
          }}
        />
      </label>
      <ProblemMessage error={error} context={t("picker.problem")} onRetry={() => void search.refetch()} />
      <p className="visually-hidden" role="status">
        {loading ? t("picker.searching") : t("picker.count", { count: agents.length })}
      </p>
      <ul className="agent-list" aria-busy={loading}>
        {agents.map((agent) => (
          <li key={agent.id}>
            <button type="button" className="agent-option" onClick={() => onPick(agent)}>
              <span className="agent-option-head">
                <span className="agent-name">{agent.name}</span>
                {agent.current_version ? (
                  <span className="badge">{t("header.version", { version: agent.current_version.version })}</span>
                ) : null}
              </span>
              {agent.description ? <span className="agent-description">{agent.description}</span> : null}
              <TagList tags={agent.tags} className="agent-tags" inline />
            </button>
          </li>
        ))}
      </ul>
      {search.isSuccess && !loading && agents.length === 0 ? (
        <p className="muted">{searched ? t("picker.noMatch") : t("picker.none")}</p>
      ) : null}
    </dialog>
  );
}
