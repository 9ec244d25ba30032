/**
 * Add a service config (one model of a provider, with its API key), or edit one. The key is
 * write-only: the field always starts empty, it is emptied once the key is saved (a refused save
 * keeps it for the next try), and an edit leaves the stored key alone unless a new one is typed
 * (or "remove" is ticked).
 */

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { TextField } from "../../components/TextField";
import { createConfigMutation, providerChoicesQuery, updateConfigMutation, type ServiceConfig } from "./api";
import { EditorForm } from "./EditorForm";
import {
  configCreateBody,
  configFormErrors,
  configFormOf,
  configUpdateBody,
  emptyConfigForm,
  type ConfigForm as Form,
} from "./forms";
import { useEditorForm } from "./useEditorForm";

const FIELDS = ["provider_id", "service_name", "service_display_name", "model", "api_key"] as const;

interface Props {
  /** The config to edit; without it the form adds one. */
  config?: ServiceConfig;
  /** After a successful edit (the editor closes). */
  onDone?: () => void;
}

export function ConfigForm({ config, onDone }: Props) {
  const { t } = useTranslation("providers");
  const { client } = useServices();
  const editing = config !== undefined;
  const providers = useQuery({ ...providerChoicesQuery(client), enabled: !editing });
  const create = useMutation(createConfigMutation(client));
  const update = useMutation(updateConfigMutation(client));
  const mutation = editing ? update : create;
  // A provider that is no longer there is not chosen; the only provider is chosen for the person.
  const choices = providers.data ?? [];
  const chosen = (id: string) =>
    choices.some((p) => String(p.provider_id) === id)
      ? id
      : choices.length === 1
        ? String(choices[0]!.provider_id)
        : "";
  const { form, current, set, errorOf, rest, submit } = useEditorForm({
    initial: (): Form => (config ? configFormOf(config) : emptyConfigForm()),
    fields: FIELDS,
    current: (f) => (editing ? f : { ...f, provider_id: chosen(f.provider_id) }),
    validate: (f) => configFormErrors(f, editing, t),
    mutation,
    send: (f, reset) => {
      if (editing) {
        update.mutate({ id: config.config_id, body: configUpdateBody(f) }, { onSuccess: () => onDone?.() });
      } else {
        create.mutate(configCreateBody(f), { onSuccess: () => reset(emptyConfigForm(f.provider_id)) });
      }
    },
  });
  const providerId = current.provider_id;
  const title = editing ? t("configs.editTitle", { name: config.service_display_name }) : t("configs.add.title");

  const keyHint = !editing
    ? t("fields.apiKeyHint")
    : config.has_credentials
      ? t("fields.apiKeyKeep", { hint: config.credentials_hint ?? t("configs.keySet") })
      : t("fields.apiKeyNone");

  return (
    <EditorForm
      title={title}
      onSubmit={submit}
      editing={editing}
      onCancel={onDone}
      footer={{
        mutation: { error: rest, isPending: mutation.isPending },
        errorContext: editing ? t("configs.editError") : t("configs.add.error"),
        done: create.isSuccess && !editing ? t("configs.add.done", { name: create.data.service_display_name }) : null,
        submitLabel: editing ? t("save") : t("configs.add.submit"),
        pendingLabel: t("saving"),
      }}
    >
      {editing ? null : (
        <label className="field">
          <span className="field-label">{t("fields.provider")}</span>
          <select
            value={providerId}
            aria-invalid={errorOf("provider_id") ? true : undefined}
            onChange={(e) => set("provider_id")(e.target.value)}
          >
            <option value="">{choices.length ? t("fields.chooseProvider") : t("fields.noProviders")}</option>
            {choices.map((p) => (
              <option key={p.provider_id} value={String(p.provider_id)}>
                {p.display_name}
              </option>
            ))}
          </select>
          {errorOf("provider_id") ? <span className="field-error">{errorOf("provider_id")}</span> : null}
        </label>
      )}
      {editing ? null : (
        <TextField
          label={t("fields.serviceName")}
          required
          maxLength={100}
          autoComplete="off"
          value={form.service_name}
          onChange={set("service_name")}
          hint={t("fields.serviceNameHint")}
          error={errorOf("service_name")}
        />
      )}
      <TextField
        label={t("fields.serviceDisplayName")}
        optional
        maxLength={200}
        value={form.service_display_name}
        onChange={set("service_display_name")}
        error={errorOf("service_display_name")}
      />
      <TextField
        label={t("fields.model")}
        required
        maxLength={255}
        autoComplete="off"
        placeholder="gpt-4o-mini"
        value={form.model}
        onChange={set("model")}
        hint={t("fields.modelHint")}
        error={errorOf("model")}
      />
      <TextField
        label={t("fields.apiKey")}
        type="password"
        optional
        maxLength={4096}
        // Not a login password: the browser must neither fill nor offer to save it.
        autoComplete="new-password"
        spellCheck={false}
        value={form.api_key}
        onChange={set("api_key")}
        hint={keyHint}
        error={errorOf("api_key")}
      />
      {editing && config.has_credentials ? (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.clear_api_key && !form.api_key}
            disabled={Boolean(form.api_key)}
            onChange={(e) => set("clear_api_key")(e.target.checked)}
          />
          {t("fields.clearKey")}
        </label>
      ) : null}
      <label className="checkbox">
        <input type="checkbox" checked={form.is_default} onChange={(e) => set("is_default")(e.target.checked)} />
        {t("fields.default")}
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={form.is_active} onChange={(e) => set("is_active")(e.target.checked)} />
        {t("fields.active")}
      </label>
    </EditorForm>
  );
}
