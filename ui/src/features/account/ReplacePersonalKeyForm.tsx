/** A new secret for one of your keys, typed in place (write-only, like the first one). */

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { replacePersonalKeyMutation, type PersonalKey } from "../../api/personalKeys";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";

export function ReplacePersonalKeyForm({ personalKey, onDone }: { personalKey: PersonalKey; onDone: () => void }) {
  const { t } = useTranslation("personalKeys");
  const { client } = useServices();
  const replace = useMutation(replacePersonalKeyMutation(client));
  const [secret, setSecret] = useState("");
  const title = t("replace.title", { label: personalKey.label });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!secret.trim() || replace.isPending) return;
    replace.mutate({ id: personalKey.id, apiKey: secret.trim() }, { onSuccess: onDone });
  };

  return (
    <form className="personal-key-replace" aria-label={title} onSubmit={submit}>
      <label className="field field--inline">
        <span className="field-label">{t("replace.newKey")}</span>
        <input type="password" required autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} />
      </label>
      <ProblemMessage error={replace.error} context={t("replace.error")} />
      <div className="form-actions">
        <button
          type="submit"
          className="button button--small button--primary"
          disabled={!secret.trim() || replace.isPending}
        >
          {replace.isPending ? t("replace.pending") : t("replace.submit")}
        </button>
        <button type="button" className="button button--small button--ghost" onClick={onDone}>
          {t("replace.cancel")}
        </button>
      </div>
    </form>
  );
}
