/** Studio's home, "My agents": every agent the developer builds, whatever its status, with a search. */

import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useServices } from "../../app/context";
import { PagedList, type ListColumn } from "../../components/paged-list/PagedList";
import { usePagedList } from "../../components/paged-list/usePagedList";
import { When } from "../../components/When";
import { AGENT_STATUSES, fetchStudioAgents, studioKeys, type StudioAgent, type StudioAgentFilter } from "./api";
import { studioHref } from "./paths";
import { StatusBadge } from "./StatusBadge";
import { StudioNav } from "./StudioNav";
import "./studio.css";

export function StudioPage() {
  const { t } = useTranslation("studio");
  const { client } = useServices();
  const list = usePagedList({
    queryKey: studioKeys.agents,
    fetchPage: fetchStudioAgents(client),
    initialFilter: {} as StudioAgentFilter,
  });
  const { filter, setFilter } = list;
  const columns: ListColumn[] = [
    { key: "name", label: t("agents.columns.name") },
    { key: "status", label: t("agents.columns.status") },
    { key: "current", label: t("agents.columns.current") },
    { key: "latest", label: t("agents.columns.latest") },
    { key: "updated", label: t("agents.columns.updated") },
  ];

  return (
    <section className="page studio-page" aria-labelledby="studio-title">
      <h1 id="studio-title">{t("title")}</h1>
      <StudioNav />
      <h2>{t("agents.title")}</h2>
      <p className="muted">
        {t("agents.intro")} <Link to={studioHref.templates()}>{t("agents.fromTemplate")}</Link>
      </p>
      <p>
        <Link className="button button--primary" to={studioHref.newAgent()}>
          {t("agents.newAgent")}
        </Link>
      </p>
      <PagedList
        list={list}
        texts={{
          caption: t("agents.caption"),
          pager: t("agents.pager"),
          empty: t("agents.empty"),
          noMatch: t("agents.noMatch"),
          loadError: t("agents.loadError"),
          count: (count) => t("agents.count", { count }),
        }}
        search={{ placeholder: t("agents.searchPlaceholder") }}
        filtersLabel={t("agents.filtersLabel")}
        filters={
          <label className="field">
            <span className="field-label">{t("agents.columns.status")}</span>
            <select
              value={filter.status ?? ""}
              onChange={(e) =>
                setFilter((f) => ({ ...f, status: (e.target.value || undefined) as StudioAgentFilter["status"] }))
              }
            >
              <option value="">{t("agents.anyStatus")}</option>
              {AGENT_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`status.${status}`)}
                </option>
              ))}
            </select>
          </label>
        }
        columns={columns}
        itemKey={(agent) => agent.id}
        renderItem={(agent) => <AgentRow agent={agent} />}
      />
    </section>
  );
}

function AgentRow({ agent }: { agent: StudioAgent }) {
  const { t } = useTranslation("studio");
  return (
    <tr>
      <td data-label={t("agents.columns.name")}>
        <Link to={studioHref.agent(agent.id)}>{agent.name}</Link>
        {agent.description ? <p className="muted">{agent.description}</p> : null}
      </td>
      <td data-label={t("agents.columns.status")}>
        <StatusBadge status={agent.status} />
      </td>
      <td data-label={t("agents.columns.current")}>{agent.current_version ?? t("agents.noVersion")}</td>
      <td data-label={t("agents.columns.latest")}>
        {agent.latest_version ? (
          <>
            {agent.latest_version} {agent.latest_status ? <StatusBadge status={agent.latest_status} /> : null}
          </>
        ) : (
          t("agents.noVersion")
        )}
      </td>
      <td data-label={t("agents.columns.updated")}>
        <When iso={agent.updated_at} none="—" />
      </td>
    </tr>
  );
}
