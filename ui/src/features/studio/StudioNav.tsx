/** Studio's sections: the developer's agents and the templates gallery. */

import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";
import { studioHref } from "./paths";

export function StudioNav() {
  const { t } = useTranslation("studio");
  return (
    <nav aria-label={t("nav.label")}>
      <ul className="studio-tabs">
        <li>
          <NavLink to={studioHref.agents()} end>
            {t("nav.agents")}
          </NavLink>
        </li>
        <li>
          <NavLink to={studioHref.templates()}>{t("nav.templates")}</NavLink>
        </li>
      </ul>
    </nav>
  );
}
