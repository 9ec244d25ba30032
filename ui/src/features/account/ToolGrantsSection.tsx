/** Tool permissions: which agents may use which tools on your behalf; grant and revoke. */

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import type { ToolGrant } from "../../api/tools";
import { useChatStore, useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PagedList, type ListColumn } from "../../components/paged-list/PagedList";
import { usePagedList } from "../../components/paged-list/usePagedList";
import { ProblemMessage } from "../../components/ProblemMessage";
import { When } from "../../components/When";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { grantLabel } from "./grants";
import { NewToolGrantForm } from "./NewToolGrantForm";
import { accountKeys, fetchToolGrants, grantableToolsQuery, revokeToolGrantMutation } from "./queries";

/** A person has few grants: one page of this many holds them, so hiding revoked ones hides no page. */
const GRANTS_PAGE_SIZE = 200;

export function ToolGrantsSection() {
  const { t } = useTranslation("account");
  const { client } = useServices();
  const agents = useChatStore((s) => s.agents.data);
  const list = usePagedList({
    queryKey: accountKeys.toolGrants,
    fetchPage: fetchToolGrants(client),
    initialFilter: {},
    pageSize: GRANTS_PAGE_SIZE,
  });
  const tools = useQuery(grantableToolsQuery(client));
  const toolList = tools.data ?? [];
  const [showRevoked, setShowRevoked] = useState(false);
  const revoke = useConfirmedMutation(useMutation(revokeToolGrantMutation(client)));
  const label = (grant: ToolGrant) => grantLabel(grant, agents, toolList, t);
  const columns: ListColumn[] = [
    { key: "agent", label: t("grants.columns.agent") },
    { key: "tool", label: t("grants.columns.tool") },
    { key: "granted", label: t("grants.columns.granted") },
    { key: "actions", label: t("grants.columns.actions"), hidden: true },
  ];

  return (
    <section aria-labelledby="grants-title" className="tool-grants">
      <h2 id="grants-title">{t("grants.title")}</h2>
      <p className="muted">{t("grants.intro")}</p>
      <NewToolGrantForm agents={agents} tools={toolList} />
      <ProblemMessage
        error={tools.error && toApiError(tools.error)}
        context={t("grants.toolsError")}
        onRetry={() => void tools.refetch()}
      />
      <label className="checkbox">
        <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
        {t("grants.showRevoked")}
      </label>
      <PagedList
        list={list}
        texts={{
          caption: t("grants.caption"),
          pager: t("grants.pager"),
          empty: t("grants.empty"),
          loadError: t("grants.loadError"),
          count: (count) => t("grants.count", { count }),
        }}
        columns={columns}
        className="key-table"
        itemKey={(grant) => grant.id}
        visible={(grant) => showRevoked || !grant.revoked_at}
        renderItem={(grant) => {
          const names = label(grant);
          return (
            <tr className={grant.revoked_at ? "key--inactive" : undefined}>
              <td data-label={t("grants.columns.agent")}>{names.agent}</td>
              <td data-label={t("grants.columns.tool")}>
                <code>{names.tool}</code>
                {grant.revoked_at ? <span className="badge badge--muted">{t("grants.revoked")}</span> : null}
              </td>
              <td data-label={t("grants.columns.granted")}>
                <When iso={grant.created_at} none="—" />
              </td>
              <td>
                {grant.revoked_at ? (
                  <span className="muted">
                    {t("grants.revoked")} <When iso={grant.revoked_at} none="" />
                  </span>
                ) : (
                  <button
                    type="button"
                    className="button button--small button--danger-outline"
                    onClick={() => revoke.ask(grant)}
                    aria-label={t("grants.revokeLabel", names)}
                  >
                    {t("grants.revoke.confirm")}
                  </button>
                )}
              </td>
            </tr>
          );
        }}
      />
      <ConfirmDialog
        title={t("grants.revoke.title")}
        confirmLabel={t("grants.revoke.confirm")}
        danger
        {...revoke.dialog}
      >
        {revoke.target ? <p>{t("grants.revoke.text", label(revoke.target))}</p> : null}
      </ConfirmDialog>
    </section>
  );
}
