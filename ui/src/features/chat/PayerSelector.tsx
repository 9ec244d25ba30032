/** Who pays for this agent's runs: the organisation or one of your own model keys (shown only when you can choose). */

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { payerQuery, personalKeysQuery, setPayerMutation } from "../../api/personalKeys";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";

const ORGANISATION = "";

export function PayerSelector({ agentId }: { agentId: string | null | undefined }) {
  const { client } = useServices();
  const keys = useQuery(personalKeysQuery(client));
  const choosable = Boolean(agentId) && keys.data?.allowed === true && keys.data.items.length > 0;
  return choosable && agentId ? <PayerChoice agentId={agentId} /> : null;
}

function PayerChoice({ agentId }: { agentId: string }) {
  const { t } = useTranslation("personalKeys");
  const { client } = useServices();
  const keys = useQuery(personalKeysQuery(client));
  const payer = useQuery(payerQuery(client, agentId));
  const choose = useMutation(setPayerMutation(client, agentId));
  const current = payer.data?.key_id ?? ORGANISATION;
  return (
    <div className="payer-selector">
      <label className="field field--inline">
        <span className="field-label">{t("payer.label")}</span>
        <select
          value={current}
          disabled={!payer.data || choose.isPending}
          onChange={(e) => choose.mutate(e.target.value || null)}
        >
          <option value={ORGANISATION}>{t("payer.organisation")}</option>
          {(keys.data?.items ?? []).map((key) => (
            <option key={key.id} value={key.id}>
              {t("payer.key", { label: key.label, hint: key.key_hint })}
            </option>
          ))}
        </select>
      </label>
      <ProblemMessage error={choose.error ?? payer.error} context={t("payer.error")} />
    </div>
  );
}
