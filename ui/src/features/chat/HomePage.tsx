/** The landing page when no chat is open. */

import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { routeHref } from "../../lib/paths";

export function HomePage({ onNewChat }: { onNewChat: () => void }) {
  const { t } = useTranslation("chat");
  return (
    <section className="home" aria-labelledby="home-title">
      <h1 id="home-title">{t("home.title")}</h1>
      <p className="muted">{t("home.text")}</p>
      <p className="home-actions">
        <button type="button" className="button button--primary" onClick={onNewChat}>
          {t("newChat")}
        </button>
        <Link className="button" to={routeHref({ name: "store" })}>
          {t("home.browseStore")}
        </Link>
      </p>
    </section>
  );
}
