/** The initial password of a new user or of a new tenant's first admin, checked against the policy as it is typed. */

import { useTranslation } from "react-i18next";
import { TextField } from "../../components/TextField";
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH, passwordProblem } from "../../lib/password";

const RULES = { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_BYTES };

interface Props {
  value: string;
  onChange: (value: string) => void;
  /** The hint around the policy's rules (default: the rules alone). */
  hint?: (rules: string) => string;
}

export function InitialPasswordField({ value, onChange, hint = (rules) => rules }: Props) {
  const { t } = useTranslation("admin");
  const problem = value ? passwordProblem(value) : null;
  return (
    <TextField
      label={t("users.add.password")}
      type="password"
      required
      autoComplete="new-password"
      minLength={MIN_PASSWORD_LENGTH}
      value={value}
      onChange={onChange}
      error={problem ? t(`password.${problem}`, RULES) : undefined}
      hint={hint(t("password.hint", RULES))}
      inline
    />
  );
}
