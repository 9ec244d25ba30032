/** Whose model key paid for a node's call: the organisation's, yours, or another user's own (masked). */

import { useTranslation } from "react-i18next";
import type { PaidBy } from "../../api/personalKeys";
import { useSession } from "../../app/context";

/** The sentence for `paidBy`, seen by the user `viewerId`. */
export function paidByText(
  t: (key: string, options?: Record<string, unknown>) => string,
  paidBy: PaidBy,
  viewerId: string | null,
): string {
  if (paidBy.payer !== "user") return t("paidBy.organisation");
  const hint = paidBy.key_hint ?? "…";
  if (viewerId && paidBy.user_id === viewerId) return t("paidBy.yours", { label: paidBy.key_label ?? "", hint });
  return t("paidBy.user", { hint });
}

export function PaidByFact({ paidBy }: { paidBy: PaidBy | null | undefined }) {
  const { t } = useTranslation("personalKeys");
  const session = useSession();
  if (!paidBy) return null;
  const viewerId = session.status === "ready" ? session.me.id : null;
  return (
    <>
      <dt>{t("paidBy.label")}</dt>
      <dd className="node-fact-paid-by" data-payer={paidBy.payer}>
        {paidByText(t, paidBy, viewerId)}
      </dd>
    </>
  );
}
