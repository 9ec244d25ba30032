/** Add one of your own model keys: provider kind, label, optional endpoint, the key (write-only). */

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { addPersonalKeyMutation, PROVIDER_KINDS, type ProviderKind } from "../../api/personalKeys";
import { useServices } from "../../app/context";
import { FoldedForm } from "../../components/FoldedForm";
import { FormFooter } from "../../components/FormFooter";

export function NewPersonalKeyForm() {
  const { t } = useTranslation("personalKeys");
  const { client } = useServices();
  const add = useMutation(addPersonalKeyMutation(client));
  const [kind, setKind] = useState<ProviderKind>("openai");
  const [label, setLabel] = useState("");
  const [apiBase, setApiBase] = useState("");
  const [secret, setSecret] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const valid = label.trim().length > 0 && secret.trim().length > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid || add.isPending) return;
    const body = { kind, label: label.trim(), api_key: secret.trim(), api_base: apiBase.trim() || null };
    add.mutate(body, {
      onSuccess: (made) => {
        // The key leaves the page once it is stored: only its hint is ever shown again.
        setSecret("");
        setLabel("");
        setApiBase("");
        setDone(t("add.done", { label: made.label, hint: made.key_hint }));
      },
    });
  };

  return (
    <FoldedForm title={t("add.title")} onSubmit={submit}>
      <label className="field field--inline">
        <span className="field-label">{t("fields.kind")}</span>
        <select value={kind} onChange={(e) => setKind(e.target.value as ProviderKind)}>
          {PROVIDER_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kinds.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field field--inline">
        <span className="field-label">{t("fields.label")}</span>
        <input
          type="text"
          required
          maxLength={100}
          value={label}
          placeholder={t("add.labelPlaceholder")}
          onChange={(e) => setLabel(e.target.value)}
        />
      </label>
      <label className="field field--inline">
        <span className="field-label">{t("fields.apiBase")}</span>
        <input
          type="url"
          maxLength={500}
          value={apiBase}
          placeholder={t("add.apiBasePlaceholder")}
          onChange={(e) => setApiBase(e.target.value)}
        />
      </label>
      <label className="field field--inline">
        <span className="field-label">{t("fields.key")}</span>
        <input type="password" required autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} />
      </label>
      <p className="field-hint">{t("add.writeOnly")}</p>
      <FormFooter
        mutation={add}
        errorContext={t("add.error")}
        done={done}
        submitLabel={t("add.submit")}
        pendingLabel={t("add.pending")}
        disabled={!valid}
      />
    </FoldedForm>
  );
}
