/** The organisation's switch for personal model keys: may users pay for their runs with their own keys? */

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { personalKeysPolicyQuery, setPersonalKeysPolicyMutation } from "../../api/personalKeys";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";

export function PersonalKeysPolicyPanel() {
  const { t } = useTranslation("personalKeys");
  const { client } = useServices();
  const policy = useQuery(personalKeysPolicyQuery(client));
  const change = useMutation(setPersonalKeysPolicyMutation(client));
  const allowed = change.data?.allow_personal_keys ?? policy.data?.allow_personal_keys;
  return (
    <section aria-labelledby="personal-keys-policy-title" className="admin-panel personal-keys-policy">
      <h2 id="personal-keys-policy-title">{t("policy.title")}</h2>
      <p className="muted">{t("policy.intro")}</p>
      <ProblemMessage error={policy.error} context={t("policy.loadError")} />
      {allowed !== undefined ? (
        <>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={allowed}
              disabled={change.isPending}
              onChange={(e) => change.mutate(e.target.checked)}
            />
            {t("policy.allow")}
          </label>
          <p className="muted" role="status">
            {allowed ? t("policy.allowed") : t("policy.forbidden")}
          </p>
        </>
      ) : null}
      <ProblemMessage error={change.error} context={t("policy.error")} />
    </section>
  );
}
