/**
 * The password policy as the server applies it (the server has the last word, e.g. on common
 * passwords). Shared by the account page and the admin forms that set an initial password;
 * each says the rule broken in its own words.
 */

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_BYTES = 72;

/** The rule a password breaks: too short, too long in UTF-8 bytes, or only one kind of character. */
export type PasswordProblem = "tooShort" | "tooLong" | "oneKind";

function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** The first rule of the policy a password breaks, or null. */
export function passwordProblem(password: string): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return "tooShort";
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES) return "tooLong";
  if (characterClasses(password) < 2) return "oneKind";
  return null;
}
