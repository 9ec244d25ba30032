/** Change your password: current, new, repeat. Every other session ends; this one continues. */

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { FormFooter } from "../../components/FormFooter";
import { TextField } from "../../components/TextField";
import { PASSWORD_RULES, passwordFormErrors, type PasswordForm } from "./password";

const EMPTY: PasswordForm = { current: "", next: "", confirm: "" };

export function ChangePasswordForm() {
  const { t } = useTranslation("account");
  const { session } = useServices();
  const change = useMutation({
    mutationFn: ({ current, next }: PasswordForm) => session.changePassword(current, next),
  });
  const [form, setForm] = useState<PasswordForm>(EMPTY);
  const [checked, setChecked] = useState(false);
  const errors = checked ? passwordFormErrors(form, t) : {};
  const set = (key: keyof PasswordForm) => (value: string) => {
    if (change.isSuccess) change.reset();
    setForm((f) => ({ ...f, [key]: value }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(passwordFormErrors(form, t)).length > 0 || change.isPending) return;
    change.mutate(form, {
      onSuccess: () => {
        setForm(EMPTY);
        setChecked(false);
      },
    });
  };

  return (
    <section aria-labelledby="password-title" className="password">
      <h2 id="password-title">{t("password.title")}</h2>
      <form onSubmit={submit} className="new-key-form password-form" aria-labelledby="password-title" noValidate>
        <TextField
          label={t("password.current")}
          type="password"
          required
          autoComplete="current-password"
          value={form.current}
          onChange={set("current")}
          error={errors.current}
          inline
        />
        <TextField
          label={t("password.next")}
          type="password"
          required
          autoComplete="new-password"
          value={form.next}
          onChange={set("next")}
          hint={t("password.rules.hint", PASSWORD_RULES)}
          error={errors.next}
          inline
        />
        <TextField
          label={t("password.confirm")}
          type="password"
          required
          autoComplete="new-password"
          value={form.confirm}
          onChange={set("confirm")}
          error={errors.confirm}
          inline
        />
        <FormFooter
          mutation={change}
          errorContext={t("password.error")}
          done={change.isSuccess ? t("password.done") : null}
          submitLabel={t("password.submit")}
          pendingLabel={t("password.pending")}
        />
      </form>
    </section>
  );
}
