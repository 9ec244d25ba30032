/** Create an API key: name, scopes, expiry. */

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { API_KEY_SCOPES, type ApiKeyCreated } from "../../api/apiKeys";
import { useServices } from "../../app/context";
import { FoldedForm } from "../../components/FoldedForm";
import { FormFooter } from "../../components/FormFooter";
import { useLocale } from "../../lib/format";
import { EXPIRY_PRESETS, expiryFromDays, expiryLabel } from "./expiry";
import { createApiKeyMutation } from "./queries";

/** i18next reads ":" as the namespace separator, so "chat:read" is looked up as "scopes.chat.read". */
const scopeKey = (scope: string) => `scopes.${scope.replace(":", ".")}`;

export function NewApiKeyForm({ onCreated }: { onCreated: (key: ApiKeyCreated) => void }) {
  const { t } = useTranslation("account");
  const locale = useLocale();
  const { client } = useServices();
  const create = useMutation(createApiKeyMutation(client));
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>(["chat:read", "chat:write"]);
  const [expiry, setExpiry] = useState("0");
  const valid = name.trim().length > 0 && scopes.length > 0;

  const toggle = (scope: string, on: boolean) =>
    setScopes((current) => (on ? [...current, scope] : current.filter((s) => s !== scope)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid || create.isPending) return;
    const expires = expiryFromDays(EXPIRY_PRESETS[Number(expiry)]?.days ?? null);
    const body = { name: name.trim(), scopes, ...(expires ? { expires_at: expires } : {}) };
    create.mutate(body, {
      onSuccess: (made) => {
        setName("");
        onCreated(made);
      },
    });
  };

  return (
    <FoldedForm title={t("keys.add.title")} onSubmit={submit}>
      <label className="field field--inline">
        <span className="field-label">{t("keys.columns.name")}</span>
        <input
          type="text"
          required
          maxLength={100}
          value={name}
          placeholder={t("keys.add.namePlaceholder")}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <fieldset className="field scopes">
        <legend className="field-label">{t("keys.columns.scopes")}</legend>
        {API_KEY_SCOPES.map(({ scope, description }) => (
          <label key={scope} className="checkbox">
            <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} />
            <code>{scope}</code> <span className="muted">{t(scopeKey(scope), { defaultValue: description })}</span>
          </label>
        ))}
        {scopes.length === 0 ? <span className="field-error">{t("keys.add.noScope")}</span> : null}
      </fieldset>
      <label className="field field--inline">
        <span className="field-label">{t("keys.columns.expires")}</span>
        <select value={expiry} onChange={(e) => setExpiry(e.target.value)}>
          {EXPIRY_PRESETS.map((preset, index) => (
            <option key={preset.days ?? "never"} value={String(index)}>
              {expiryLabel(preset, locale, t("keys.add.neverExpires"))}
            </option>
          ))}
        </select>
      </label>
      <FormFooter
        mutation={create}
        errorContext={t("keys.add.error")}
        submitLabel={t("keys.add.submit")}
        pendingLabel={t("keys.add.pending")}
        disabled={!valid}
      />
    </FoldedForm>
  );
}
