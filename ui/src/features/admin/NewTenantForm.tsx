/** Create a tenant with its plan, optional quota limits and its first admin. */

import { useState, type FormEvent } from "react";
import { MIN_PASSWORD_LENGTH, PASSWORD_HINT, passwordProblem } from "../account/password";
import { EMPTY_QUOTA_FORM, QUOTA_FIELDS, TENANT_NAME, parseQuotaForm, type QuotaForm } from "./tenantForm";
import { TENANT_PLANS, createTenant, type QuotaLimits, type TenantPlan } from "../../api/tenants";
import { useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TextField } from "../../components/TextField";

export function NewTenantForm({ onCreated }: { onCreated: () => void }) {
  const { client } = useServices();
  const action = useAction();
  const [name, setName] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [plan, setPlan] = useState<TenantPlan>("free");
  const [quotas, setQuotas] = useState<QuotaForm>(EMPTY_QUOTA_FORM);
  const [quotaErrors, setQuotaErrors] = useState<Partial<Record<keyof QuotaLimits, string>>>({});
  const [adminEmail, setAdminEmail] = useState("");
  const [adminName, setAdminName] = useState("");
  const [adminPassword, setAdminPassword] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const nameError = name && !TENANT_NAME.test(name) ? "2–63 lower-case letters, digits and “-”." : undefined;
  const valid =
    TENANT_NAME.test(name) &&
    displayName.trim().length > 0 &&
    adminEmail.includes("@") &&
    passwordProblem(adminPassword) === null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    const parsed = parseQuotaForm(quotas);
    if (!parsed.ok) {
      setQuotaErrors(parsed.errors);
      return;
    }
    setQuotaErrors({});
    const body = {
      name,
      display_name: displayName.trim(),
      plan,
      ...(Object.keys(parsed.limits).length > 0 ? { quotas: parsed.limits } : {}),
      admin: { email: adminEmail.trim(), password: adminPassword, display_name: adminName.trim() || null },
    };
    const ok = await action.run(() => createTenant(client, body));
    if (!ok) return;
    setCreated(body.display_name);
    setName("");
    setDisplayName("");
    setQuotas(EMPTY_QUOTA_FORM);
    setAdminEmail("");
    setAdminName("");
    setAdminPassword("");
    onCreated();
  };

  return (
    <details className="new-key">
      <summary>Create a tenant</summary>
      <form onSubmit={submit} className="new-key-form" aria-label="Create a tenant">
        <TextField
          label="Name"
          required
          value={name}
          onChange={(v) => setName(v.toLowerCase())}
          hint="Unique and lower case; people type it to log in."
          error={nameError}
          inline
        />
        <TextField label="Display name" required maxLength={200} value={displayName} onChange={setDisplayName} inline />
        <label className="field field--inline">
          <span className="field-label">Plan</span>
          <select value={plan} onChange={(e) => setPlan(e.target.value as TenantPlan)}>
            {TENANT_PLANS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field fieldset">
          <legend className="field-label">Quota limits (blank: the plan&apos;s default)</legend>
          <div className="quota-fields">
            {QUOTA_FIELDS.map(({ key, label }) => (
              <TextField
                key={key}
                label={label}
                inputMode="numeric"
                value={quotas[key]}
                error={quotaErrors[key]}
                onChange={(value) => setQuotas((q) => ({ ...q, [key]: value }))}
              />
            ))}
          </div>
        </fieldset>
        <fieldset className="field fieldset">
          <legend className="field-label">First administrator</legend>
          <TextField label="Email" type="email" required value={adminEmail} onChange={setAdminEmail} inline />
          <TextField label="Name" optional maxLength={200} value={adminName} onChange={setAdminName} inline />
          <TextField
            label="Initial password"
            type="password"
            required
            autoComplete="new-password"
            minLength={MIN_PASSWORD_LENGTH}
            value={adminPassword}
            onChange={setAdminPassword}
            error={adminPassword ? (passwordProblem(adminPassword) ?? undefined) : undefined}
            hint={PASSWORD_HINT}
            inline
          />
        </fieldset>
        <ProblemMessage error={action.error} context="Could not create the tenant" />
        {created && !action.error ? (
          <p className="notice" role="status">
            Created {created}.
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={!valid || action.pending}>
          {action.pending ? "Creating…" : "Create tenant"}
        </button>
      </form>
    </details>
  );
}
