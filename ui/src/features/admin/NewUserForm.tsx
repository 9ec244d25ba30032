/** Create a user: email, name, role and an initial password (they should change it after logging in). */

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { USER_ROLES, type UserRole } from "../../api/users";
import { useServices } from "../../app/context";
import { FoldedForm } from "../../components/FoldedForm";
import { FormFooter } from "../../components/FormFooter";
import { TextField } from "../../components/TextField";
import { passwordProblem } from "../../lib/password";
import { InitialPasswordField } from "./InitialPasswordField";
import { createUserMutation } from "./queries";

export function NewUserForm() {
  const { t } = useTranslation("admin");
  const { client } = useServices();
  const create = useMutation(createUserMutation(client));
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<UserRole>("user");
  const [password, setPassword] = useState("");
  const valid = email.trim().includes("@") && passwordProblem(password) === null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid || create.isPending) return;
    const body = { email: email.trim(), display_name: name.trim() || null, role, password };
    create.mutate(body, {
      onSuccess: () => {
        setEmail("");
        setName("");
        setPassword("");
      },
    });
  };

  return (
    <FoldedForm title={t("users.add.title")} onSubmit={submit}>
      <TextField
        label={t("users.add.email")}
        type="email"
        required
        autoComplete="off"
        value={email}
        onChange={setEmail}
        inline
      />
      <TextField label={t("users.add.name")} optional maxLength={200} value={name} onChange={setName} inline />
      <label className="field field--inline">
        <span className="field-label">{t("users.columns.role")}</span>
        <select value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
          {USER_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`common:roles.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <InitialPasswordField
        value={password}
        onChange={setPassword}
        hint={(rules) => t("users.add.passwordHint", { rules })}
      />
      <FormFooter
        mutation={create}
        errorContext={t("users.add.error")}
        done={create.isSuccess ? t("users.add.done", { email: create.variables.email }) : null}
        submitLabel={t("users.add.submit")}
        pendingLabel={t("users.add.pending")}
        disabled={!valid}
      />
    </FoldedForm>
  );
}
