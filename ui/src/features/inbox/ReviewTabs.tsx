/**
 * The two halves of a reviewer's work: human tasks of running agents, and store submissions.
 * Someone who is not a reviewer (asked by an approval policy) has only the tasks.
 */

import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";
import { useSession } from "../../app/context";
import { canReview } from "../../session/roles";

export function ReviewTabs() {
  const { t } = useTranslation("inbox");
  const session = useSession();
  if (session.status === "ready" && !canReview(session.me.role)) return null;
  return (
    <nav className="subnav" aria-label={t("tabs.label")}>
      <NavLink to="/reviews" end>
        {t("tabs.tasks")}
      </NavLink>
      <NavLink to="/reviews/submissions">{t("tabs.submissions")}</NavLink>
    </nav>
  );
}
