/** The change-password form's checks: what is clearly wrong before asking the server. */

import type { TFunction } from "i18next";
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH, passwordProblem } from "../../lib/password";

export interface PasswordForm {
  current: string;
  next: string;
  confirm: string;
}

/** The policy's numbers, for the texts that quote them. */
export const PASSWORD_RULES = { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_BYTES };

/** Field → message (in the reader's language). */
export function passwordFormErrors(form: PasswordForm, t: TFunction): Partial<Record<keyof PasswordForm, string>> {
  const errors: Partial<Record<keyof PasswordForm, string>> = {};
  if (!form.current) errors.current = t("account:password.errors.current");
  const problem = passwordProblem(form.next);
  if (problem) errors.next = t(`account:password.rules.${problem}`, PASSWORD_RULES);
  else if (form.next === form.current) errors.next = t("account:password.errors.same");
  if (form.confirm !== form.next) errors.confirm = t("account:password.errors.mismatch");
  return errors;
}
