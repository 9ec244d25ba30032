/** One document: its name and size, its status with the live ingestion progress, chunks, and Delete. */

import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { When } from "../../components/When";
import { formatNumber, useLocale } from "../../lib/format";
import type { KnowledgeDocument } from "./api";
import type { DocumentView } from "./ingestion";
import { formatSize } from "./uploads";

const TONE: Record<DocumentView["status"], string> = {
  pending: "off",
  processing: "warn",
  ready: "ok",
  failed: "bad",
  deleting: "off",
};

/** The step of an ingestion under way, in words ("Indexing: 2 of 5 batches"). */
export function stepText(view: DocumentView, t: TFunction): string | null {
  switch (view.step) {
    case "queued":
      return t("knowledge:documents.step.queued");
    case "parsing":
      return t("knowledge:documents.step.parsing");
    case "indexing":
      return view.batchesTotal === null
        ? t("knowledge:documents.step.indexing")
        : t("knowledge:documents.step.batches", { done: view.batchesDone, total: view.batchesTotal });
    default:
      return null;
  }
}

interface Props {
  doc: KnowledgeDocument;
  view: DocumentView;
  /** Null when the person may not delete (or the document is already going). */
  onDelete: (() => void) | null;
}

export function DocumentRow({ doc, view, onDelete }: Props) {
  const { t } = useTranslation("knowledge");
  const locale = useLocale();
  const step = stepText(view, t);
  const label = t(`documents.status.${view.status}`);
  return (
    <tr data-document-status={view.status}>
      <td data-label={t("documents.columns.document")}>
        <strong className="document-name">{doc.filename}</strong>
        <span className="muted document-meta">
          {formatSize(doc.size_bytes, locale)} · {doc.content_type}
        </span>
      </td>
      <td data-label={t("documents.columns.status")}>
        <span className={`badge status status--${TONE[view.status]}`}>{label}</span>
        {view.status === "processing" || view.status === "pending" ? (
          <span className="document-progress">
            <progress
              max={1}
              value={view.done ?? undefined}
              aria-label={t("documents.progressOf", { name: doc.filename })}
            />
            {step ? <span className="muted">{step}</span> : null}
          </span>
        ) : null}
        {view.status === "failed" && view.error ? <span className="document-error">{view.error}</span> : null}
      </td>
      <td data-label={t("documents.columns.chunks")}>
        {view.status === "ready" ? formatNumber(view.chunks, locale) : "—"}
      </td>
      <td data-label={t("documents.columns.updated")}>
        <When iso={doc.updated_at} none="—" />
      </td>
      <td>
        {onDelete ? (
          <button
            type="button"
            className="button button--small button--danger-outline"
            aria-label={t("documents.deleteLabel", { name: doc.filename })}
            onClick={onDelete}
          >
            {t("delete")}
          </button>
        ) : null}
      </td>
    </tr>
  );
}
