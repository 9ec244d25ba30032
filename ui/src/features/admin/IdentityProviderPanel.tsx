/**
 * Sign-in with the organisation's identity provider (OpenID Connect), for tenant admins: the
 * issuer, the client and its secret (write-only: only a hint comes back), who may sign in
 * (e-mail domains), which role a claim value gives, creating accounts at first sign-in, and
 * whether password login stays on. Shows the redirect URI to register at the provider.
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import {
  deleteIdentityProvider,
  getIdentityProvider,
  putIdentityProvider,
  type IdentityProvider,
} from "../../api/identityProvider";
import { USER_ROLES, type UserRole } from "../../api/users";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { FormFooter } from "../../components/FormFooter";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TextField } from "../../components/TextField";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { badMappingLines, formOf, settingsOf, type IdentityProviderForm } from "./identityProviderForm";
import "./identityProvider.css";

const KEY = ["admin", "identity-provider"] as const;

export function IdentityProviderPanel() {
  const { t } = useTranslation("oidc");
  const { client } = useServices();
  const current = useQuery({ queryKey: KEY, queryFn: ({ signal }) => getIdentityProvider(client, signal) });
  return (
    <section aria-labelledby="idp-title" className="admin-panel identity-provider">
      <h2 id="idp-title">{t("admin.title")}</h2>
      <p className="muted">{t("admin.intro")}</p>
      <ProblemMessage error={current.error} context={t("admin.loadError")} onRetry={() => void current.refetch()} />
      {current.isPending ? (
        <p className="muted" role="status">
          {t("admin.loading")}
        </p>
      ) : null}
      {current.isSuccess ? <ProviderEditor key={current.data?.updated_at ?? "new"} stored={current.data} /> : null}
    </section>
  );
}

function ProviderEditor({ stored }: { stored: IdentityProvider | null }) {
  const { t } = useTranslation("oidc");
  const { client } = useServices();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<IdentityProviderForm>(() => formOf(stored));
  const set =
    <K extends keyof IdentityProviderForm>(name: K) =>
    (value: IdentityProviderForm[K]) =>
      setForm((f) => ({ ...f, [name]: value }));
  const save = useMutation({
    mutationFn: () => putIdentityProvider(client, settingsOf(form)),
    onSuccess: (saved) => queryClient.setQueryData(KEY, saved),
  });
  const remove = useConfirmedMutation(
    useMutation({
      mutationFn: () => deleteIdentityProvider(client),
      onSuccess: () => queryClient.setQueryData(KEY, null),
    }),
  );
  const badLines = badMappingLines(form.roleMapping);
  const ready = form.issuer.trim() && form.clientId.trim() && (stored || form.clientSecret) && badLines.length === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready && !save.isPending) save.mutate();
  };

  return (
    <>
      {stored ? (
        <dl className="identity-provider-facts">
          <dt>{t("admin.redirectUri")}</dt>
          <dd>
            <code>{stored.redirect_uri}</code>
          </dd>
          <dt>{t("admin.storedSecret")}</dt>
          <dd>
            <code>{stored.client_secret_hint}</code>
          </dd>
        </dl>
      ) : (
        <p className="notice">{t("admin.none")}</p>
      )}
      <form className="form" onSubmit={submit} noValidate>
        <TextField
          label={t("admin.issuer")}
          hint={t("admin.issuerHint")}
          required
          inputMode="url"
          value={form.issuer}
          onChange={set("issuer")}
        />
        <TextField
          label={t("admin.clientId")}
          required
          autoComplete="off"
          value={form.clientId}
          onChange={set("clientId")}
        />
        <TextField
          label={t("admin.clientSecret")}
          hint={stored ? t("admin.clientSecretKeep") : t("admin.clientSecretNew")}
          type="password"
          autoComplete="new-password"
          required={!stored}
          value={form.clientSecret}
          onChange={set("clientSecret")}
        />
        <TextField label={t("admin.scopes")} value={form.scopes} onChange={set("scopes")} />
        <TextField
          label={t("admin.domains")}
          hint={t("admin.domainsHint")}
          optional
          value={form.allowedDomains}
          onChange={set("allowedDomains")}
        />
        <TextField
          label={t("admin.roleClaim")}
          hint={t("admin.roleClaimHint")}
          optional
          value={form.roleClaim}
          onChange={set("roleClaim")}
        />
        <label className="field">
          <span className="field-label">{t("admin.roleMapping")}</span>
          <textarea rows={4} value={form.roleMapping} onChange={(e) => set("roleMapping")(e.target.value)} />
          <span className="field-hint muted">{t("admin.roleMappingHint", { roles: USER_ROLES.join(", ") })}</span>
          {badLines.length ? (
            <span className="field-error">{t("admin.roleMappingBad", { lines: badLines.join(", ") })}</span>
          ) : null}
        </label>
        <label className="field">
          <span className="field-label">{t("admin.defaultRole")}</span>
          <select value={form.defaultRole} onChange={(e) => set("defaultRole")(e.target.value as UserRole)}>
            {USER_ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </label>
        <Toggle label={t("admin.enabled")} value={form.enabled} onChange={set("enabled")} />
        <Toggle label={t("admin.jit")} value={form.jitProvisioning} onChange={set("jitProvisioning")} />
        <Toggle label={t("admin.localLogin")} value={form.localLoginEnabled} onChange={set("localLoginEnabled")} />
        <FormFooter
          mutation={save}
          errorContext={t("admin.saveError")}
          done={save.isSuccess ? t("admin.saved") : null}
          submitLabel={t("admin.save")}
          pendingLabel={t("admin.saving")}
          disabled={!ready}
        />
      </form>
      {stored ? (
        <button type="button" className="button button--danger" onClick={() => remove.ask(undefined)}>
          {t("admin.remove")}
        </button>
      ) : null}
      <ConfirmDialog {...remove.dialog} title={t("admin.removeTitle")} confirmLabel={t("admin.remove")} danger>
        {t("admin.removeBody")}
      </ConfirmDialog>
    </>
  );
}

function Toggle({ label, value, onChange }: { label: string; value: boolean; onChange: (value: boolean) => void }) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={value} onChange={(e) => onChange(e.target.checked)} />
      <span>{label}</span>
    </label>
  );
}
