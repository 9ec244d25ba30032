/**
 * Add a provider, or edit one (its name and kind are fixed once created). Problems show under the
 * fields they are about: the form's own checks once a send was tried, then the server's 422.
 */

import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { TextField } from "../../components/TextField";
import {
  createProviderMutation,
  PROVIDER_KINDS,
  updateProviderMutation,
  type Provider,
  type ProviderKind,
} from "./api";
import { EditorForm } from "./EditorForm";
import {
  emptyProviderForm,
  providerCreateBody,
  providerFormErrors,
  providerFormOf,
  providerUpdateBody,
  type ProviderForm as Form,
} from "./forms";
import { useEditorForm } from "./useEditorForm";

const FIELDS = ["provider_name", "display_name", "kind", "base_url", "description"] as const;

interface Props {
  /** The provider to edit; without it the form adds one. */
  provider?: Provider;
  /** After a successful edit (the editor closes). */
  onDone?: () => void;
}

export function ProviderForm({ provider, onDone }: Props) {
  const { t } = useTranslation("providers");
  const { client } = useServices();
  const editing = provider !== undefined;
  const create = useMutation(createProviderMutation(client));
  const update = useMutation(updateProviderMutation(client));
  const mutation = editing ? update : create;
  const { form, set, errorOf, rest, submit } = useEditorForm({
    initial: (): Form => (provider ? providerFormOf(provider) : emptyProviderForm()),
    fields: FIELDS,
    validate: (f) => providerFormErrors(f, editing, t),
    mutation,
    send: (f, reset) => {
      if (editing) {
        update.mutate({ id: provider.provider_id, body: providerUpdateBody(f) }, { onSuccess: () => onDone?.() });
      } else {
        create.mutate(providerCreateBody(f), { onSuccess: () => reset(emptyProviderForm()) });
      }
    },
  });
  const title = editing ? t("providers.editTitle", { name: provider.display_name }) : t("providers.add.title");

  return (
    <EditorForm
      title={title}
      onSubmit={submit}
      editing={editing}
      onCancel={onDone}
      footer={{
        mutation: { error: rest, isPending: mutation.isPending },
        errorContext: editing ? t("providers.editError") : t("providers.add.error"),
        done: create.isSuccess && !editing ? t("providers.add.done", { name: create.data.display_name }) : null,
        submitLabel: editing ? t("save") : t("providers.add.submit"),
        pendingLabel: t("saving"),
      }}
    >
      {editing ? null : (
        <>
          <TextField
            label={t("fields.providerName")}
            required
            maxLength={100}
            autoComplete="off"
            value={form.provider_name}
            onChange={set("provider_name")}
            hint={t("fields.nameHint")}
            error={errorOf("provider_name")}
          />
          <label className="field">
            <span className="field-label">{t("fields.kind")}</span>
            <select value={form.kind} onChange={(e) => set("kind")(e.target.value as ProviderKind)}>
              {PROVIDER_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`kinds.${kind}`)}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      <TextField
        label={t("fields.displayName")}
        optional
        maxLength={200}
        value={form.display_name}
        onChange={set("display_name")}
        error={errorOf("display_name")}
      />
      <TextField
        label={t("fields.baseUrl")}
        type="url"
        optional={form.kind !== "openai_compatible"}
        required={form.kind === "openai_compatible"}
        maxLength={500}
        placeholder={form.kind === "openai_compatible" ? "http://vllm:8000/v1" : undefined}
        value={form.base_url}
        onChange={set("base_url")}
        hint={t(form.kind === "openai_compatible" ? "fields.baseUrlRequiredHint" : "fields.baseUrlHint")}
        error={errorOf("base_url")}
      />
      <TextField
        label={t("fields.description")}
        optional
        maxLength={2000}
        value={form.description}
        onChange={set("description")}
        error={errorOf("description")}
      />
      <label className="checkbox">
        <input type="checkbox" checked={form.is_active} onChange={(e) => set("is_active")(e.target.checked)} />
        {t("fields.active")}
      </label>
    </EditorForm>
  );
}
