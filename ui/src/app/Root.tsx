/** The top of every page: a splash while the session is checked, the login page, or the shell. */

import { useTranslation } from "react-i18next";
import { LoginPage } from "../features/auth/LoginPage";
import { isOidcCallback, OidcCallbackPage } from "../features/auth/OidcCallbackPage";
import { useSession } from "./context";
import { Shell } from "./Shell";

export function Root() {
  const { t } = useTranslation();
  const session = useSession();
  if (session.status === "checking") {
    return (
      <div className="splash" role="status">
        {t("loading")}
      </div>
    );
  }
  if (session.status === "anonymous")
    return isOidcCallback() ? <OidcCallbackPage /> : <LoginPage notice={session.notice} />;
  return <Shell me={session.me} />;
}
