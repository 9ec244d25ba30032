/** MCP tool servers: register one, see status, last health check and call statistics; check, discover, delete. */

import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PagedList, RefreshButton, type ListColumn } from "../../components/paged-list/PagedList";
import { usePagedList } from "../../components/paged-list/usePagedList";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { NewToolServerForm } from "./NewToolServerForm";
import { deleteServerMutation, fetchServers, toolKeys } from "./queries";
import { ToolServerRow } from "./ToolServerRow";

export function ToolServersSection() {
  const { t } = useTranslation("tools");
  const { client } = useServices();
  const list = usePagedList({ queryKey: toolKeys.servers, fetchPage: fetchServers(client), initialFilter: {} });
  const remove = useConfirmedMutation(useMutation(deleteServerMutation(client)));
  const columns: ListColumn[] = [
    { key: "server", label: t("servers.columns.server") },
    { key: "status", label: t("servers.columns.status") },
    { key: "lastCheck", label: t("servers.columns.lastCheck") },
    { key: "tools", label: t("servers.columns.tools") },
    { key: "calls", label: t("servers.columns.calls") },
    { key: "actions", label: t("servers.columns.actions"), hidden: true },
  ];

  return (
    <section aria-labelledby="servers-title" className="admin-panel">
      <div className="page-head">
        <h2 id="servers-title">{t("servers.title")}</h2>
        <RefreshButton busy={list.loading} onRefresh={list.refresh} />
      </div>
      <NewToolServerForm />
      <PagedList
        list={list}
        texts={{
          caption: t("servers.caption"),
          pager: t("servers.pager"),
          empty: t("servers.empty"),
          loadError: t("servers.loadError"),
          count: (count) => t("servers.count", { count }),
        }}
        columns={columns}
        className="server-table"
        itemKey={(server) => server.id}
        renderItem={(server) => <ToolServerRow server={server} onDelete={() => remove.ask(server)} />}
      />
      <ConfirmDialog
        title={t("servers.delete.title")}
        confirmLabel={t("servers.delete.confirm")}
        danger
        {...remove.dialog}
      >
        <p>{t("servers.delete.text", { name: remove.target?.name ?? "", count: remove.target?.tool_count ?? 0 })}</p>
      </ConfirmDialog>
    </section>
  );
}
