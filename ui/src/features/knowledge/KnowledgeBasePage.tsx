/**
 * One knowledge base: its settings, uploads (drop or choose several files), its documents with
 * live ingestion progress, a debug search, and deleting the whole base after asking.
 */

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { formatNumber, useLocale } from "../../lib/format";
import { deleteKnowledgeBaseMutation, documentsQuery, knowledgeBaseQuery, type KnowledgeBase } from "./api";
import { DocumentsSection } from "./DocumentsSection";
import { knowledgeHref } from "./paths";
import { SearchPanel } from "./SearchPanel";
import { UploadZone } from "./UploadZone";
import { useIngestionProgress } from "./useIngestionProgress";
import "./knowledge.css";

export function KnowledgeBasePage({ baseId }: { baseId: string }) {
  const { t } = useTranslation("knowledge");
  const { client } = useServices();
  const navigate = useNavigate();
  const base = useQuery(knowledgeBaseQuery(client, baseId));
  const documents = useQuery(documentsQuery(client, baseId));
  const live = useIngestionProgress(client, baseId, documents.data?.items);
  const remove = useConfirmedMutation(useMutation(deleteKnowledgeBaseMutation(client)), () =>
    navigate(knowledgeHref.list(), { replace: true }),
  );
  const detail = base.data;

  return (
    <section className="page page--wide knowledge-base" aria-labelledby="knowledge-base-title">
      <p className="breadcrumb">
        <Link to={knowledgeHref.list()}>{t("base.back")}</Link>
      </p>
      <ProblemMessage error={base.error} context={t("base.loadError")} onRetry={() => void base.refetch()} />
      {base.isPending ? <p role="status">{t("loading")}</p> : null}
      {detail ? (
        <>
          <div className="page-head">
            <h1 id="knowledge-base-title">{detail.name}</h1>
            <button
              type="button"
              className="button button--small button--danger-outline"
              onClick={() => remove.ask(detail)}
            >
              {t("base.delete")}
            </button>
          </div>
          {detail.description ? <p>{detail.description}</p> : null}
          <BaseFacts base={detail} />
          <UploadZone baseId={baseId} onUploaded={(doc) => live.forget(doc.id)} />
          <DocumentsSection baseId={baseId} documents={documents} progress={live.progress} />
          <SearchPanel baseId={baseId} />
          <ConfirmDialog title={t("bases.delete.title")} confirmLabel={t("delete")} danger {...remove.dialog}>
            <p>{t("bases.delete.text", { name: detail.name, count: detail.document_count })}</p>
          </ConfirmDialog>
        </>
      ) : null}
    </section>
  );
}

/** The settings fixed at creation: embedding model and size, chunking; and how many documents. */
function BaseFacts({ base }: { base: KnowledgeBase }) {
  const { t } = useTranslation("knowledge");
  const locale = useLocale();
  const n = (value: number) => formatNumber(value, locale);
  return (
    <dl className="knowledge-facts">
      <div>
        <dt>{t("base.documents")}</dt>
        <dd>{n(base.document_count)}</dd>
      </div>
      <div>
        <dt>{t("base.model")}</dt>
        <dd>
          <code>{base.embedding_model}</code> {t("base.dimension", { dimension: n(base.embedding_dimension) })}
        </dd>
      </div>
      <div>
        <dt>{t("base.chunking")}</dt>
        <dd>{t("base.chunks", { size: n(base.chunk_size), overlap: n(base.chunk_overlap) })}</dd>
      </div>
    </dl>
  );
}
