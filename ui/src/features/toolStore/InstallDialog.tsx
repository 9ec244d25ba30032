/**
 * Install one store entry: a field per URL parameter (checked like the server checks them), a
 * write-only masked field per credential, and the roles granted the server's tools. Secrets are
 * dropped from memory once sent or when the dialog closes.
 */

import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TextField } from "../../components/TextField";
import { DEFAULT_GRANTED_ROLES, installMutation, TENANT_ROLES, type StoreEntry, type TenantRole } from "./api";
import { installBody, localized, missingCredentials, parameterProblems, type ParameterProblem } from "./toolStoreView";

interface Props {
  entry: StoreEntry;
  onClose: () => void;
}

export function InstallDialog({ entry, onClose }: Props) {
  const { t, i18n } = useTranslation("toolStore");
  const { client } = useServices();
  const install = useMutation(installMutation(client));
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [values, setValues] = useState<Record<string, string>>({});
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [roles, setRoles] = useState<TenantRole[]>([...DEFAULT_GRANTED_ROLES]);
  const [checked, setChecked] = useState(false);
  const name = localized(entry.name, i18n.language);
  const problems = parameterProblems(entry, values);
  const missing = missingCredentials(entry, secrets);
  const invalid = Object.keys(problems).length > 0 || missing.length > 0 || roles.length === 0;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const problemText = (problem: ParameterProblem) =>
    problem ? t(`install.problem.${problem.key}`, { pattern: problem.pattern ?? "" }) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (invalid || install.isPending) return;
    install.mutate(
      { id: entry.id, body: installBody(entry, values, secrets, roles) },
      {
        onSuccess: () => {
          setSecrets({});
          onClose();
        },
        onError: () => setSecrets({}), // never kept once sent
      },
    );
  };

  const toggleRole = (role: TenantRole, on: boolean) =>
    setRoles((current) => (on ? [...current, role] : current.filter((r) => r !== role)));

  return (
    <dialog ref={ref} className="dialog tool-store-dialog" aria-labelledby={titleId} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>{t("install.title", { name })}</h2>
        {entry.bundled ? <p className="muted">{t("install.bundledNote")}</p> : null}
        <p className="muted">
          {t("install.url")} <code>{entry.url_template}</code>
        </p>
        {entry.parameters.map((p) => (
          <TextField
            key={p.name}
            label={localized(p.label, i18n.language)}
            required={!p.default}
            optional={Boolean(p.default)}
            value={values[p.name] ?? ""}
            placeholder={p.default ?? p.example ?? undefined}
            hint={localized(p.description, i18n.language) || undefined}
            error={checked ? problemText(problems[p.name] ?? null) : undefined}
            onChange={(value) => setValues((v) => ({ ...v, [p.name]: value }))}
          />
        ))}
        {entry.credentials.map((c) => (
          <TextField
            key={c.name}
            label={localized(c.label, i18n.language)}
            type="password"
            autoComplete="new-password"
            maxLength={4096}
            required={c.required !== false}
            optional={c.required === false}
            value={secrets[c.name] ?? ""}
            hint={localized(c.description, i18n.language) || t("install.secretHint")}
            error={checked && missing.includes(c.name) ? t("install.problem.required") : undefined}
            onChange={(value) => setSecrets((s) => ({ ...s, [c.name]: value }))}
          />
        ))}
        <fieldset className="tool-store-roles">
          <legend>{t("install.roles")}</legend>
          {TENANT_ROLES.map((role) => (
            <label key={role} className="checkbox">
              <input
                type="checkbox"
                checked={roles.includes(role)}
                onChange={(e) => toggleRole(role, e.target.checked)}
              />
              {t(`roles.${role}`)}
            </label>
          ))}
          {checked && roles.length === 0 ? <span className="field-error">{t("install.noRoles")}</span> : null}
        </fieldset>
        <ProblemMessage error={install.error} context={t("install.error", { name })} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t("actions.cancel")}
          </button>
          <button type="submit" className="button button--primary" disabled={install.isPending}>
            {install.isPending ? t("install.pending") : t("install.submit")}
          </button>
        </div>
      </form>
    </dialog>
  );
}
