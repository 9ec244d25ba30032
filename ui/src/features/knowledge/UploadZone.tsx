/**
 * Add documents: drop several files on the zone, or choose them with the button (keyboards and
 * touch screens). Each file is sent on its own, one after another, and listed with how it went;
 * a file the server would refuse (too large, unsupported type) is refused here, in plain words.
 */

import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useLocale } from "../../lib/format";
import { knowledgeKeys, uploadDocument, type KnowledgeDocument, type UploadResult } from "./api";
import { ACCEPT, formatSize, queueFiles, sendUploads, updateUpload, type Upload } from "./uploads";

interface Props {
  baseId: string;
  /** A document was stored (new or replaced): its progress starts afresh. */
  onUploaded: (doc: KnowledgeDocument) => void;
}

export function UploadZone({ baseId, onUploaded }: Props) {
  const { t } = useTranslation("knowledge");
  const { client } = useServices();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const counter = useRef(0);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [over, setOver] = useState(false);

  const change = (key: string, update: Partial<Upload>) => setUploads((list) => updateUpload(list, key, update));
  const sent = (result: UploadResult) => {
    onUploaded(result.document);
    void queryClient.invalidateQueries({ queryKey: knowledgeKeys.documents(baseId) });
    void queryClient.invalidateQueries({ queryKey: knowledgeKeys.base(baseId) });
  };

  const add = (fileList: FileList | null) => {
    const files = Array.from(fileList ?? []);
    if (files.length === 0) return;
    const entries = queueFiles(files, t, () => `upload-${(counter.current += 1)}`);
    setUploads((list) => [...entries, ...list]);
    void sendUploads(entries, files, (file) => uploadDocument(client, baseId, file), change, t, sent);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    add(event.dataTransfer.files);
  };

  return (
    <section aria-labelledby="upload-title" className="knowledge-upload">
      <h2 id="upload-title">{t("upload.title")}</h2>
      <div
        className={`dropzone${over ? " dropzone--over" : ""}`}
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = "copy";
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>{t("upload.drop")}</p>
        <button type="button" className="button" onClick={() => input.current?.click()}>
          {t("upload.choose")}
        </button>
        <p className="muted field-hint">{t("upload.hint")}</p>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          hidden
          aria-label={t("upload.choose")}
          onChange={(event) => {
            add(event.target.files);
            event.target.value = ""; // the same file can be chosen again
          }}
        />
      </div>
      {uploads.length > 0 ? <UploadList uploads={uploads} /> : null}
    </section>
  );
}

/** The files sent from this page, newest first, each with how it went. */
export function UploadList({ uploads }: { uploads: readonly Upload[] }) {
  const { t } = useTranslation("knowledge");
  const locale = useLocale();
  return (
    <ul className="upload-list" aria-label={t("upload.listLabel")}>
      {uploads.map((upload) => (
        <li key={upload.key} className={`upload upload--${upload.state}`}>
          <span className="upload-name">{upload.name}</span>{" "}
          <span className="muted">{formatSize(upload.size, locale)}</span>{" "}
          <span role="status">
            {upload.state === "sent" && upload.action
              ? t(`upload.action.${upload.action}`)
              : t(`upload.state.${upload.state}`)}
          </span>
          {upload.error ? (
            <ProblemMessage error={upload.error} context={t("upload.failed", { name: upload.name })} />
          ) : null}
        </li>
      ))}
    </ul>
  );
}
