/** My model keys: your own provider keys (masked, write-only), added, replaced and deleted. */

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { deletePersonalKeyMutation, personalKeysQuery, type PersonalKey } from "../../api/personalKeys";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { NewPersonalKeyForm } from "./NewPersonalKeyForm";
import { ReplacePersonalKeyForm } from "./ReplacePersonalKeyForm";

export function PersonalKeysSection() {
  const { t } = useTranslation("personalKeys");
  const { client } = useServices();
  const keys = useQuery(personalKeysQuery(client));
  const remove = useConfirmedMutation(useMutation(deletePersonalKeyMutation(client)));
  const [replacing, setReplacing] = useState<string | null>(null);
  const items = keys.data?.items ?? [];

  return (
    <section aria-labelledby="personal-keys-title" className="api-keys personal-keys">
      <h2 id="personal-keys-title">{t("title")}</h2>
      <p className="muted">{t("intro")}</p>
      {keys.data && !keys.data.allowed ? (
        <p className="notice" role="status">
          {t("forbidden")}
        </p>
      ) : null}
      <NewPersonalKeyForm />
      <ProblemMessage error={keys.error} context={t("loadError")} />
      {keys.data && items.length === 0 ? <p className="muted">{t("empty")}</p> : null}
      {items.length > 0 ? (
        <table className="key-table">
          <caption className="visually-hidden">{t("caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("fields.label")}</th>
              <th scope="col">{t("fields.kind")}</th>
              <th scope="col">{t("fields.apiBase")}</th>
              <th scope="col">{t("fields.key")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((key: PersonalKey) => (
              <tr key={key.id} data-personal-key={key.label}>
                <td data-label={t("fields.label")}>{key.label}</td>
                <td data-label={t("fields.kind")}>{t(`kinds.${key.kind}`, { defaultValue: key.kind })}</td>
                <td data-label={t("fields.apiBase")}>
                  {key.api_base ?? <span className="muted">{t("defaultBase")}</span>}
                </td>
                <td data-label={t("fields.key")}>
                  <code title={t("hintTitle")}>{key.key_hint}</code>
                </td>
                <td>
                  {replacing === key.id ? (
                    <ReplacePersonalKeyForm personalKey={key} onDone={() => setReplacing(null)} />
                  ) : (
                    <div className="form-actions">
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => setReplacing(key.id)}
                        aria-label={t("replace.label", { label: key.label })}
                      >
                        {t("replace.open")}
                      </button>
                      <button
                        type="button"
                        className="button button--small button--danger-outline"
                        onClick={() => remove.ask(key)}
                        aria-label={t("remove.label", { label: key.label })}
                      >
                        {t("remove.confirm")}
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ConfirmDialog title={t("remove.title")} confirmLabel={t("remove.confirm")} danger {...remove.dialog}>
        <p>{t("remove.text", { label: remove.target?.label ?? "" })}</p>
      </ConfirmDialog>
    </section>
  );
}
