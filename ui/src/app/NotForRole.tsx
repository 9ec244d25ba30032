/** The page a person sees when their role does not reach it. */

import { useTranslation } from "react-i18next";

export type Audience = "reviewers" | "admins" | "developers" | "platformAdmins";

export function NotForRole({ who }: { who: Audience }) {
  const { t } = useTranslation();
  return (
    <section className="page" aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">{t(`forbidden.${who}.title`)}</h1>
      <p className="muted">{t(`forbidden.${who}.text`)}</p>
    </section>
  );
}
