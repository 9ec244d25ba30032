/** Grant an agent one tool: pick both, then "Grant". */

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import type { Tool } from "../../api/tools";
import type { AgentSummary } from "../../api/types";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { grantToolMutation } from "./queries";

export function NewToolGrantForm({ agents, tools }: { agents: readonly AgentSummary[]; tools: readonly Tool[] }) {
  const { t } = useTranslation("account");
  const { client } = useServices();
  const grant = useMutation(grantToolMutation(client));
  const [agentId, setAgentId] = useState("");
  const [toolId, setToolId] = useState("");
  const active = tools.filter((tool) => tool.status === "active");
  const valid = agentId !== "" && toolId !== "";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid || grant.isPending) return;
    grant.mutate({ agent_id: agentId, tool_id: toolId }, { onSuccess: () => setToolId("") });
  };

  return (
    <form className="filters grant-form" onSubmit={submit} aria-label={t("grants.add.title")}>
      <label className="field">
        <span className="field-label">{t("grants.columns.agent")}</span>
        <select value={agentId} onChange={(e) => setAgentId(e.target.value)} required>
          <option value="">{t("grants.add.chooseAgent")}</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t("grants.columns.tool")}</span>
        <select value={toolId} onChange={(e) => setToolId(e.target.value)} required>
          <option value="">{t("grants.add.chooseTool")}</option>
          {active.map((tool) => (
            <option key={tool.id} value={tool.id}>
              {tool.acts_on_behalf_of_user ? t("grants.add.actsAsYou", { name: tool.name }) : tool.name}
            </option>
          ))}
        </select>
      </label>
      <div className="filters-actions">
        <button type="submit" className="button button--primary button--small" disabled={!valid || grant.isPending}>
          {grant.isPending ? t("grants.add.pending") : t("grants.add.submit")}
        </button>
      </div>
      <ProblemMessage error={grant.error && toApiError(grant.error)} context={t("grants.add.error")} />
    </form>
  );
}
