/** Grant an agent one tool: pick both, then "Grant". */

import { useState, type FormEvent } from "react";
import { grantTool, type Tool } from "../../api/tools";
import type { AgentSummary } from "../../api/types";
import { useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { ProblemMessage } from "../../components/ProblemMessage";

interface Props {
  agents: readonly AgentSummary[];
  tools: readonly Tool[];
  onGranted: () => void;
}

export function NewToolGrantForm({ agents, tools, onGranted }: Props) {
  const { client } = useServices();
  const action = useAction();
  const [agentId, setAgentId] = useState("");
  const [toolId, setToolId] = useState("");
  const active = tools.filter((t) => t.status === "active");
  const valid = agentId !== "" && toolId !== "";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    const ok = await action.run(() => grantTool(client, { agent_id: agentId, tool_id: toolId }));
    if (!ok) return;
    setToolId("");
    onGranted();
  };

  return (
    <form className="filters grant-form" onSubmit={submit} aria-label="Grant a tool">
      <label className="field">
        <span className="field-label">Agent</span>
        <select value={agentId} onChange={(e) => setAgentId(e.target.value)} required>
          <option value="">Choose an agent…</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Tool</span>
        <select value={toolId} onChange={(e) => setToolId(e.target.value)} required>
          <option value="">Choose a tool…</option>
          {active.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
              {t.acts_on_behalf_of_user ? " (acts as you)" : ""}
            </option>
          ))}
        </select>
      </label>
      <div className="filters-actions">
        <button type="submit" className="button button--primary button--small" disabled={!valid || action.pending}>
          {action.pending ? "Granting…" : "Grant"}
        </button>
      </div>
      <ProblemMessage error={action.error} context="Could not grant the tool" />
    </form>
  );
}
