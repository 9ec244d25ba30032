/**
 * Where the identity provider sends the browser back (`/auth/oidc/callback?code=…&state=…`):
 * the code and state go to the server, which answers our own tokens; they are stored like a
 * password login's, and the app opens. A refusal is shown with a way back to the login page.
 */

import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { finishOidcSignIn, OIDC_CALLBACK_PATH } from "../../api/identityProvider";
import { LanguageSwitch } from "../../app/LanguageSwitch";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";

// A state works once: a second mount of the page (React's strict mode) joins the first try.
const finishing = new Map<string, Promise<void>>();

/** Whether the page shown now is the provider's way back. */
export function isOidcCallback(): boolean {
  return window.location.pathname === OIDC_CALLBACK_PATH;
}

export function OidcCallbackPage() {
  const { t } = useTranslation("oidc");
  const { client, session, queries } = useServices();
  const [error, setError] = useState<unknown>(null);
  const params = new URLSearchParams(window.location.search);
  const code = params.get("code");
  const state = params.get("state");
  const providerError = params.get("error");

  useEffect(() => {
    if (!code || !state) return;
    let attempt = finishing.get(state);
    if (!attempt) {
      attempt = (async () => {
        queries.clear(); // nothing of an earlier account survives into this one
        // Once signed in, the shell opens; this path is none of its pages, so it lands home.
        await session.adoptTokens(await finishOidcSignIn(client, code, state));
      })();
      finishing.set(state, attempt);
    }
    attempt.catch(setError);
  }, [client, session, queries, code, state]);

  const failed = error !== null || providerError !== null || !code || !state;
  return (
    <main className="login">
      <div className="login-language">
        <LanguageSwitch />
      </div>
      <section className="login-card" aria-labelledby="oidc-callback-title">
        <h1 id="oidc-callback-title" className="login-title">
          AgentPaaS
        </h1>
        {failed ? (
          <>
            <p className="muted">{t("callback.failed")}</p>
            {providerError ? (
              <div className="problem" role="alert">
                <p className="problem-detail">{t("callback.providerError", { error: providerError })}</p>
              </div>
            ) : null}
            {!providerError && (!code || !state) ? (
              <div className="problem" role="alert">
                <p className="problem-detail">{t("callback.incomplete")}</p>
              </div>
            ) : null}
            <ProblemMessage error={error} />
            <div className="login-actions">
              <a className="button button--primary" href="/">
                {t("callback.back")}
              </a>
            </div>
          </>
        ) : (
          <p className="muted" role="status">
            {t("callback.signingIn")}
          </p>
        )}
      </section>
    </main>
  );
}
