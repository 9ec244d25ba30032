/**
 * A knowledge base's documents with their status, live while they are ingested (each one's event
 * stream), and Delete after asking. `progress` comes from the page, which also hands it to uploads.
 */

import { useMutation, type UseQueryResult } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Page } from "../../api/types";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { deleteDocumentMutation, type KnowledgeDocument } from "./api";
import { DocumentRow } from "./DocumentRow";
import { documentView, type IngestionProgress } from "./ingestion";

interface Props {
  baseId: string;
  documents: UseQueryResult<Page<KnowledgeDocument>>;
  progress: Record<string, IngestionProgress>;
}

export function DocumentsSection({ baseId, documents, progress }: Props) {
  const { t } = useTranslation("knowledge");
  const { client } = useServices();
  const remove = useConfirmedMutation(useMutation(deleteDocumentMutation(client, baseId)));
  const page = documents.data;
  const items = page?.items ?? [];

  return (
    <section aria-labelledby="documents-title" className="knowledge-documents">
      <h2 id="documents-title">{t("documents.title")}</h2>
      <ProblemMessage
        error={documents.error}
        context={t("documents.loadError")}
        onRetry={() => void documents.refetch()}
      />
      {documents.isPending ? <p className="muted">{t("loading")}</p> : null}
      {page && items.length === 0 ? <p className="muted">{t("documents.empty")}</p> : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="admin-table paged-table document-table">
            <caption className="visually-hidden">{t("documents.caption", { count: page?.total ?? 0 })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("documents.columns.document")}</th>
                <th scope="col">{t("documents.columns.status")}</th>
                <th scope="col">{t("documents.columns.chunks")}</th>
                <th scope="col">{t("documents.columns.updated")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((doc) => (
                <DocumentRow
                  key={doc.id}
                  doc={doc}
                  view={documentView(doc, progress[doc.id])}
                  onDelete={doc.status === "deleting" ? null : () => remove.ask(doc)}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {page && page.total > items.length ? (
        <p className="muted">{t("documents.more", { shown: items.length, total: page.total })}</p>
      ) : null}
      <ConfirmDialog title={t("documents.delete.title")} confirmLabel={t("delete")} danger {...remove.dialog}>
        <p>{t("documents.delete.text", { name: remove.target?.filename ?? "" })}</p>
      </ConfirmDialog>
    </section>
  );
}
