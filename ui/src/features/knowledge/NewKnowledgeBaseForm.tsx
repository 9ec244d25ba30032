/** Create a knowledge base: a name, a description, and how its documents are cut into chunks. */

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useServices } from "../../app/context";
import { FoldedForm } from "../../components/FoldedForm";
import { FormFooter } from "../../components/FormFooter";
import { TextField } from "../../components/TextField";
import { createKnowledgeBaseMutation } from "./api";
import { knowledgeHref } from "./paths";

/** The server's defaults and bounds (tokens per chunk, tokens shared by neighbours). */
const CHUNK = { size: 256, overlap: 32, minSize: 32, maxSize: 2048, maxOverlap: 512 };

const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text) : NaN);

export function NewKnowledgeBaseForm() {
  const { t } = useTranslation("knowledge");
  const { client } = useServices();
  const navigate = useNavigate();
  const create = useMutation(createKnowledgeBaseMutation(client));
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [size, setSize] = useState(String(CHUNK.size));
  const [overlap, setOverlap] = useState(String(CHUNK.overlap));
  const [checked, setChecked] = useState(false);
  const chunkSize = whole(size);
  const chunkOverlap = whole(overlap);
  const errors = {
    name: name.trim() ? undefined : t("bases.add.nameRequired"),
    size:
      chunkSize >= CHUNK.minSize && chunkSize <= CHUNK.maxSize
        ? undefined
        : t("bases.add.sizeRange", { min: CHUNK.minSize, max: CHUNK.maxSize }),
    overlap:
      chunkOverlap >= 0 && chunkOverlap <= CHUNK.maxOverlap && !(chunkOverlap >= chunkSize)
        ? undefined
        : t("bases.add.overlapRange", { max: Math.min(CHUNK.maxOverlap, Math.max(chunkSize - 1, 0)) }),
  };
  const valid = !errors.name && !errors.size && !errors.overlap;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (!valid || create.isPending) return;
    const body = {
      name: name.trim(),
      description: description.trim() || null,
      chunk_size: chunkSize,
      chunk_overlap: chunkOverlap,
    };
    // The new knowledge base is empty: its page, where documents are added, comes next.
    create.mutate(body, { onSuccess: (base) => void navigate(knowledgeHref.base(base.id)) });
  };

  return (
    <FoldedForm title={t("bases.add.title")} onSubmit={submit} noValidate>
      <TextField
        label={t("bases.add.name")}
        required
        maxLength={255}
        value={name}
        onChange={setName}
        error={checked ? errors.name : undefined}
      />
      <TextField
        label={t("bases.add.description")}
        optional
        maxLength={10_000}
        value={description}
        onChange={setDescription}
      />
      <div className="chunk-fields">
        <TextField
          label={t("bases.add.chunkSize")}
          inputMode="numeric"
          value={size}
          onChange={setSize}
          hint={t("bases.add.chunkSizeHint")}
          error={checked ? errors.size : undefined}
        />
        <TextField
          label={t("bases.add.chunkOverlap")}
          inputMode="numeric"
          value={overlap}
          onChange={setOverlap}
          hint={t("bases.add.chunkOverlapHint")}
          error={checked ? errors.overlap : undefined}
        />
      </div>
      <p className="muted field-hint">{t("bases.add.model")}</p>
      <FormFooter
        mutation={create}
        errorContext={t("bases.add.error")}
        submitLabel={t("bases.add.submit")}
        pendingLabel={t("bases.add.pending")}
      />
    </FoldedForm>
  );
}
