/** The discovered tools: search, filter by server and status, change a tool's status, read its input schema. */

import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { TOOL_STATUSES, type ToolStatus } from "../../api/tools";
import { useServices } from "../../app/context";
import { PagedList } from "../../components/paged-list/PagedList";
import { usePagedList } from "../../components/paged-list/usePagedList";
import { fetchCatalog, serverChoicesQuery, toolKeys, type CatalogFilter } from "./queries";
import { ToolCard } from "./ToolCard";

export function ToolCatalog() {
  const { t } = useTranslation("tools");
  const { client } = useServices();
  const servers = useQuery(serverChoicesQuery(client)).data ?? [];
  const list = usePagedList({
    queryKey: toolKeys.catalog,
    fetchPage: fetchCatalog(client),
    initialFilter: {} as CatalogFilter,
  });
  const { filter, setFilter } = list;
  const serverName = (id: string) => servers.find((s) => s.id === id)?.name ?? t("catalog.unknownServer");

  return (
    <section aria-labelledby="catalog-title" className="admin-panel">
      <h2 id="catalog-title">{t("catalog.title")}</h2>
      <PagedList
        list={list}
        texts={{
          caption: t("catalog.caption"),
          pager: t("catalog.pager"),
          empty: t("catalog.empty"),
          noMatch: t("catalog.noMatch"),
          loadError: t("catalog.loadError"),
          count: (count) => t("catalog.count", { count }),
        }}
        search={{ placeholder: t("catalog.searchPlaceholder") }}
        filtersLabel={t("catalog.filtersLabel")}
        filters={
          <>
            <label className="field">
              <span className="field-label">{t("catalog.server")}</span>
              <select
                value={filter.server ?? ""}
                onChange={(e) => setFilter((f) => ({ ...f, server: e.target.value || undefined }))}
              >
                <option value="">{t("any")}</option>
                {servers.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">{t("catalog.status")}</span>
              <select
                value={filter.status ?? ""}
                onChange={(e) =>
                  setFilter((f) => ({ ...f, status: (e.target.value || undefined) as ToolStatus | undefined }))
                }
              >
                <option value="">{t("any")}</option>
                {TOOL_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`status.${s}`)}
                  </option>
                ))}
              </select>
            </label>
          </>
        }
        className="tool-list"
        itemKey={(tool) => tool.id}
        renderItem={(tool) => <ToolCard tool={tool} serverName={serverName(tool.topic_server_id)} />}
      />
    </section>
  );
}
