/** Change your password: current, new, repeat. Every other session ends; this one continues. */

import { useState, type FormEvent } from "react";
import { PASSWORD_HINT, passwordFormErrors, type PasswordForm } from "./password";
import { useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TextField } from "../../components/TextField";

const EMPTY: PasswordForm = { current: "", next: "", confirm: "" };

export function ChangePasswordForm() {
  const { session } = useServices();
  const action = useAction();
  const [form, setForm] = useState<PasswordForm>(EMPTY);
  const [checked, setChecked] = useState(false);
  const [done, setDone] = useState(false);
  const errors = checked ? passwordFormErrors(form) : {};
  const set = (key: keyof PasswordForm) => (value: string) => {
    setDone(false);
    setForm((f) => ({ ...f, [key]: value }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(passwordFormErrors(form)).length > 0) return;
    const ok = await action.run(() => session.changePassword(form.current, form.next));
    if (!ok) return;
    setForm(EMPTY);
    setChecked(false);
    setDone(true);
  };

  return (
    <section aria-labelledby="password-title" className="password">
      <h2 id="password-title">Password</h2>
      <form onSubmit={submit} className="new-key-form password-form" aria-labelledby="password-title" noValidate>
        <TextField
          label="Current password"
          type="password"
          required
          autoComplete="current-password"
          value={form.current}
          onChange={set("current")}
          error={errors.current}
          inline
        />
        <TextField
          label="New password"
          type="password"
          required
          autoComplete="new-password"
          value={form.next}
          onChange={set("next")}
          hint={PASSWORD_HINT}
          error={errors.next}
          inline
        />
        <TextField
          label="Repeat the new password"
          type="password"
          required
          autoComplete="new-password"
          value={form.confirm}
          onChange={set("confirm")}
          error={errors.confirm}
          inline
        />
        <ProblemMessage error={action.error} context="Could not change the password" />
        {done ? (
          <p className="notice" role="status">
            Password changed. Other devices have been logged out.
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={action.pending}>
          {action.pending ? "Changing…" : "Change password"}
        </button>
      </form>
    </section>
  );
}
