/** API keys: the list (prefix only), a form to create one (its secret shown once), and revoking. */

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiKeyCreated } from "../../api/apiKeys";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PagedList, type ListColumn } from "../../components/paged-list/PagedList";
import { usePagedList } from "../../components/paged-list/usePagedList";
import { When } from "../../components/When";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { keyState } from "./expiry";
import { NewApiKeyForm } from "./NewApiKeyForm";
import { NewKeyReveal } from "./NewKeyReveal";
import { accountKeys, fetchApiKeys, revokeApiKeyMutation } from "./queries";

export function ApiKeysSection() {
  const { t } = useTranslation("account");
  const { client } = useServices();
  const list = usePagedList({ queryKey: accountKeys.apiKeys, fetchPage: fetchApiKeys(client), initialFilter: {} });
  // The new key's secret lives only here, in memory, until the person says they saved it.
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const revoke = useConfirmedMutation(useMutation(revokeApiKeyMutation(client)));
  const columns: ListColumn[] = [
    { key: "name", label: t("keys.columns.name") },
    { key: "key", label: t("keys.columns.key") },
    { key: "scopes", label: t("keys.columns.scopes") },
    { key: "created", label: t("keys.columns.created") },
    { key: "lastUsed", label: t("keys.columns.lastUsed") },
    { key: "expires", label: t("keys.columns.expires") },
    { key: "actions", label: t("keys.columns.actions"), hidden: true },
  ];

  return (
    <section aria-labelledby="keys-title" className="api-keys">
      <h2 id="keys-title">{t("keys.title")}</h2>
      <p className="muted">
        {t("keys.intro")} <code>Authorization: Bearer &lt;key&gt;</code>
      </p>
      {created ? <NewKeyReveal created={created} onDone={() => setCreated(null)} /> : null}
      <NewApiKeyForm onCreated={setCreated} />
      <PagedList
        list={list}
        texts={{
          caption: t("keys.caption"),
          pager: t("keys.pager"),
          empty: t("keys.empty"),
          loadError: t("keys.loadError"),
          count: (count) => t("keys.count", { count }),
        }}
        columns={columns}
        className="key-table"
        itemKey={(key) => key.id}
        renderItem={(key) => {
          const state = keyState(key);
          return (
            <tr className={state !== "active" ? "key--inactive" : undefined}>
              <td data-label={t("keys.columns.name")}>
                {key.name || "—"}
                {state !== "active" ? <span className="badge badge--muted">{t(`keys.state.${state}`)}</span> : null}
              </td>
              <td data-label={t("keys.columns.key")}>
                <code title={t("keys.prefixTitle")}>apk_…_{key.key_prefix}…</code>
              </td>
              <td data-label={t("keys.columns.scopes")}>
                {key.scopes.map((scope) => (
                  <span key={scope} className="tag">
                    {scope}
                  </span>
                ))}
              </td>
              <td data-label={t("keys.columns.created")}>
                <When iso={key.created_at} none="—" />
              </td>
              <td data-label={t("keys.columns.lastUsed")}>
                <When iso={key.last_used_at} none={t("keys.never")} />
              </td>
              <td data-label={t("keys.columns.expires")}>
                <When iso={key.expires_at} none={t("keys.never")} />
              </td>
              <td>
                {state === "active" ? (
                  <button
                    type="button"
                    className="button button--small button--danger-outline"
                    onClick={() => revoke.ask(key)}
                    aria-label={t("keys.revokeLabel", { name: key.name || key.key_prefix })}
                  >
                    {t("keys.revoke.confirm")}
                  </button>
                ) : null}
              </td>
            </tr>
          );
        }}
      />
      <ConfirmDialog title={t("keys.revoke.title")} confirmLabel={t("keys.revoke.confirm")} danger {...revoke.dialog}>
        <p>{t("keys.revoke.text", { name: revoke.target?.name || revoke.target?.key_prefix || "" })}</p>
      </ConfirmDialog>
    </section>
  );
}
