/** Password checks that mirror the server's policy (which has the last word, e.g. on common passwords). */

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_BYTES = 72;
export const PASSWORD_HINT = `At least ${MIN_PASSWORD_LENGTH} characters, mixing two kinds (lower case, upper case, digits, others).`;

function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** The first rule of the policy a password breaks, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES) {
    return `Use at most ${MAX_PASSWORD_BYTES} bytes (fewer characters outside ASCII).`;
  }
  if (characterClasses(password) < 2) return "Mix at least two kinds: lower case, upper case, digits, others.";
  return null;
}

export interface PasswordForm {
  current: string;
  next: string;
  confirm: string;
}

/** Field → message for what is clearly wrong before asking the server. */
export function passwordFormErrors(form: PasswordForm): Partial<Record<keyof PasswordForm, string>> {
  const errors: Partial<Record<keyof PasswordForm, string>> = {};
  if (!form.current) errors.current = "Enter your current password.";
  const problem = passwordProblem(form.next);
  if (problem) errors.next = problem;
  else if (form.next === form.current) errors.next = "The new password must differ from the current one.";
  if (form.confirm !== form.next) errors.confirm = "The passwords do not match.";
  return errors;
}
