/** Create a tenant with its plan, optional quota limits and its first admin. */

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { TENANT_PLANS, type QuotaLimits, type TenantPlan } from "../../api/tenants";
import { useServices } from "../../app/context";
import { FoldedForm } from "../../components/FoldedForm";
import { FormFooter } from "../../components/FormFooter";
import { TextField } from "../../components/TextField";
import { passwordProblem } from "../../lib/password";
import { InitialPasswordField } from "./InitialPasswordField";
import { createTenantMutation } from "./queries";
import { EMPTY_QUOTA_FORM, QUOTA_FIELDS, TENANT_NAME, parseQuotaForm, type QuotaForm } from "./tenantForm";

export function NewTenantForm() {
  const { t } = useTranslation("admin");
  const { client } = useServices();
  const create = useMutation(createTenantMutation(client));
  const [name, setName] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [plan, setPlan] = useState<TenantPlan>("free");
  const [quotas, setQuotas] = useState<QuotaForm>(EMPTY_QUOTA_FORM);
  const [quotaErrors, setQuotaErrors] = useState<Partial<Record<keyof QuotaLimits, string>>>({});
  const [adminEmail, setAdminEmail] = useState("");
  const [adminName, setAdminName] = useState("");
  const [adminPassword, setAdminPassword] = useState("");
  const nameError = name && !TENANT_NAME.test(name) ? t("tenants.create.nameError") : undefined;
  const valid =
    TENANT_NAME.test(name) &&
    displayName.trim().length > 0 &&
    adminEmail.includes("@") &&
    passwordProblem(adminPassword) === null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid || create.isPending) return;
    const parsed = parseQuotaForm(quotas, t);
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
    create.mutate(body, {
      onSuccess: () => {
        setName("");
        setDisplayName("");
        setQuotas(EMPTY_QUOTA_FORM);
        setAdminEmail("");
        setAdminName("");
        setAdminPassword("");
      },
    });
  };

  return (
    <FoldedForm title={t("tenants.create.title")} onSubmit={submit}>
      <TextField
        label={t("tenants.create.name")}
        required
        value={name}
        onChange={(v) => setName(v.toLowerCase())}
        hint={t("tenants.create.nameHint")}
        error={nameError}
        inline
      />
      <TextField
        label={t("tenants.create.displayName")}
        required
        maxLength={200}
        value={displayName}
        onChange={setDisplayName}
        inline
      />
      <label className="field field--inline">
        <span className="field-label">{t("tenants.columns.plan")}</span>
        <select value={plan} onChange={(e) => setPlan(e.target.value as TenantPlan)}>
          {TENANT_PLANS.map((p) => (
            <option key={p} value={p}>
              {t(`tenants.plan.${p}`)}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="field fieldset">
        <legend className="field-label">{t("tenants.create.quotas")}</legend>
        <div className="quota-fields">
          {QUOTA_FIELDS.map(({ key }) => (
            <TextField
              key={key}
              label={t(`tenants.quotaFields.${key}`)}
              inputMode="numeric"
              value={quotas[key]}
              error={quotaErrors[key]}
              onChange={(value) => setQuotas((q) => ({ ...q, [key]: value }))}
            />
          ))}
        </div>
      </fieldset>
      <fieldset className="field fieldset">
        <legend className="field-label">{t("tenants.create.firstAdmin")}</legend>
        <TextField
          label={t("users.add.email")}
          type="email"
          required
          value={adminEmail}
          onChange={setAdminEmail}
          inline
        />
        <TextField
          label={t("users.add.name")}
          optional
          maxLength={200}
          value={adminName}
          onChange={setAdminName}
          inline
        />
        <InitialPasswordField value={adminPassword} onChange={setAdminPassword} />
      </fieldset>
      <FormFooter
        mutation={create}
        errorContext={t("tenants.create.error")}
        done={create.isSuccess ? t("tenants.create.done", { name: create.variables.display_name }) : null}
        submitLabel={t("tenants.create.submit")}
        pendingLabel={t("tenants.create.pending")}
        disabled={!valid}
      />
    </FoldedForm>
  );
}
