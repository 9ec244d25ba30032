/** Naming a tool grant: its agent and tool by name when known, else a short id. */

import type { TFunction } from "i18next";
import type { Tool, ToolGrant } from "../../api/tools";
import type { AgentSummary } from "../../api/types";

const shortId = (id: string) => (id.length > 8 ? `${id.slice(0, 8)}…` : id);

export function grantLabel(
  grant: Pick<ToolGrant, "agent_id" | "tool_id">,
  agents: readonly Pick<AgentSummary, "id" | "name">[],
  tools: readonly Pick<Tool, "id" | "name">[],
  t: TFunction,
): { agent: string; tool: string } {
  return {
    agent:
      agents.find((a) => a.id === grant.agent_id)?.name ??
      t("account:grants.unknownAgent", { id: shortId(grant.agent_id) }),
    tool:
      tools.find((x) => x.id === grant.tool_id)?.name ??
      t("account:grants.unknownTool", { id: shortId(grant.tool_id) }),
  };
}
