/**
 * What a person sees when a page cannot be shown: its code failed to load (offline, or a new
 * release replaced the old chunks) or it broke while rendering. Instead of the router's
 * developer page, a translated notice and a way out.
 */

import { useTranslation } from "react-i18next";
import { isRouteErrorResponse, useRouteError } from "react-router";

export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <section className="page" role="alert" aria-labelledby="route-error-title">
      <h1 id="route-error-title">{t("routeError.title")}</h1>
      <p>{t("routeError.text")}</p>
      <p className="muted">
        <code>{detail}</code>
      </p>
      <p>
        <button type="button" className="button button--primary" onClick={() => window.location.reload()}>
          {t("routeError.reload")}
        </button>{" "}
        <a className="button" href="/">
          {t("routeError.home")}
        </a>
      </p>
    </section>
  );
}
