/** Knowledge bases (developers and admins): create one, open one, delete one after asking. */

import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PagedList, RefreshButton, type ListColumn } from "../../components/paged-list/PagedList";
import { usePagedList } from "../../components/paged-list/usePagedList";
import { When } from "../../components/When";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { formatNumber, useLocale } from "../../lib/format";
import { deleteKnowledgeBaseMutation, fetchKnowledgeBases, knowledgeKeys } from "./api";
import { NewKnowledgeBaseForm } from "./NewKnowledgeBaseForm";
import { knowledgeHref } from "./paths";
import "./knowledge.css";

export function KnowledgePage() {
  const { t } = useTranslation("knowledge");
  const { client } = useServices();
  const locale = useLocale();
  const list = usePagedList({
    queryKey: knowledgeKeys.bases,
    fetchPage: fetchKnowledgeBases(client),
    initialFilter: {},
  });
  const remove = useConfirmedMutation(useMutation(deleteKnowledgeBaseMutation(client)));
  const columns: ListColumn[] = [
    { key: "name", label: t("bases.columns.name") },
    { key: "documents", label: t("bases.columns.documents") },
    { key: "model", label: t("bases.columns.model") },
    { key: "updated", label: t("bases.columns.updated") },
    { key: "actions", label: t("actions"), hidden: true },
  ];

  return (
    <section className="page page--wide knowledge" aria-labelledby="knowledge-title">
      <div className="page-head">
        <h1 id="knowledge-title">{t("title")}</h1>
        <RefreshButton busy={list.loading} onRefresh={list.refresh} />
      </div>
      <p className="muted">{t("intro")}</p>
      <NewKnowledgeBaseForm />
      <PagedList
        list={list}
        texts={{
          caption: t("bases.caption"),
          pager: t("bases.pager"),
          empty: t("bases.empty"),
          loadError: t("bases.loadError"),
          count: (count) => t("bases.count", { count }),
        }}
        columns={columns}
        itemKey={(base) => base.id}
        renderItem={(base) => (
          <tr>
            <td data-label={t("bases.columns.name")}>
              <Link to={knowledgeHref.base(base.id)}>
                <strong>{base.name}</strong>
              </Link>
              {base.description ? <span className="knowledge-note muted">{base.description}</span> : null}
            </td>
            <td data-label={t("bases.columns.documents")}>{formatNumber(base.document_count, locale)}</td>
            <td data-label={t("bases.columns.model")}>
              <code>{base.embedding_model}</code>
            </td>
            <td data-label={t("bases.columns.updated")}>
              <When iso={base.updated_at} none="—" />
            </td>
            <td>
              <button
                type="button"
                className="button button--small button--danger-outline"
                aria-label={t("bases.deleteLabel", { name: base.name })}
                onClick={() => remove.ask(base)}
              >
                {t("delete")}
              </button>
            </td>
          </tr>
        )}
      />
      <ConfirmDialog title={t("bases.delete.title")} confirmLabel={t("delete")} danger {...remove.dialog}>
        <p>{t("bases.delete.text", { name: remove.target?.name ?? "", count: remove.target?.document_count ?? 0 })}</p>
      </ConfirmDialog>
    </section>
  );
}
