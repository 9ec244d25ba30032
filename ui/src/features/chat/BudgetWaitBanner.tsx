/** In a chat: the run waits for a token budget (paused, not failed) and goes on by itself. */

import { Trans, useTranslation } from "react-i18next";
import { When } from "../../components/When";
import type { BudgetWait } from "../../run/runView";

const SCOPES = ["tenant", "agent", "user", "user_personal"];

export function BudgetWaitBanner({ budget }: { budget: BudgetWait }) {
  const { t } = useTranslation("budgets");
  const reason = budget.scope && SCOPES.includes(budget.scope) ? budget.scope : "other";
  return (
    <div className="waiting-card budget-wait-card" role="status">
      <p className="waiting-title">
        <strong>{t("banner.title")}</strong>
      </p>
      <p>{t(`banner.${reason}`)}</p>
      <p className="muted waiting-hint">
        <Trans t={t} i18nKey="banner.hint" components={{ when: <When iso={budget.periodEnd} none="" /> }} />
      </p>
    </div>
  );
}
