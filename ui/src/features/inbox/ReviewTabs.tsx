/** The two halves of a reviewer's work: human tasks of running agents, and store submissions. */

import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";

export function ReviewTabs() {
  const { t } = useTranslation("inbox");
  return (
    <nav className="subnav" aria-label={t("tabs.label")}>
      <NavLink to="/reviews" end>
        {t("tabs.tasks")}
      </NavLink>
      <NavLink to="/reviews/submissions">{t("tabs.submissions")}</NavLink>
    </nav>
  );
}
