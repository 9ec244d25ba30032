/** Create a user: email, name, role and an initial password (they should change it after logging in). */

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import { USER_ROLES, type UserRole } from "../../api/users";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TextField } from "../../components/TextField";
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH, passwordProblem } from "../../lib/password";
import { createUserMutation } from "./queries";

export function NewUserForm() {
  const { t } = useTranslation("admin");
  const { client } = useServices();
  const create = useMutation(createUserMutation(client));
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<UserRole>("user");
  const [password, setPassword] = useState("");
  const problem = password ? passwordProblem(password) : null;
  const valid = email.trim().includes("@") && passwordProblem(password) === null;
  const rules = { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_BYTES };

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
    <details className="new-key">
      <summary>{t("users.add.title")}</summary>
      <form onSubmit={submit} className="new-key-form" aria-label={t("users.add.title")}>
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
        <TextField
          label={t("users.add.password")}
          type="password"
          required
          autoComplete="new-password"
          minLength={MIN_PASSWORD_LENGTH}
          value={password}
          onChange={setPassword}
          error={problem ? t(`password.${problem}`, rules) : undefined}
          hint={t("users.add.passwordHint", { rules: t("password.hint", rules) })}
          inline
        />
        <ProblemMessage error={create.error && toApiError(create.error)} context={t("users.add.error")} />
        {create.isSuccess ? (
          <p className="notice" role="status">
            {t("users.add.done", { email: create.variables.email })}
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={!valid || create.isPending}>
          {create.isPending ? t("users.add.pending") : t("users.add.submit")}
        </button>
      </form>
    </details>
  );
}
