/** Email and password, then (when the email is in several tenants) a tenant choice; the language can be picked first. */

import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TenantChoice } from "../../api/types";
import { LanguageSwitch } from "../../app/LanguageSwitch";
import { ProblemMessage } from "../../components/ProblemMessage";
import type { SessionNotice } from "../../session/sessionStore";
import { useSignIn } from "./api";
import { CompanySignIn } from "./CompanySignIn";
import { HealthNote } from "./HealthNote";
import { TenantChooser } from "./TenantChooser";

/** Why the login page is shown again, in the person's language. */
function NoticeText({ notice }: { notice: SessionNotice }) {
  const { t } = useTranslation("auth");
  switch (notice) {
    case "session-expired":
      return <>{t("notices.sessionExpired")}</>;
    case "logged-out-everywhere":
      return <>{t("notices.loggedOutEverywhere")}</>;
  }
}

export function LoginPage({ notice }: { notice: SessionNotice | null }) {
  const { t } = useTranslation("auth");
  const signIn = useSignIn();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [tenants, setTenants] = useState<TenantChoice[] | null>(null);
  const [tenant, setTenant] = useState("");
  const emailRef = useRef<HTMLInputElement>(null);

  useEffect(() => emailRef.current?.focus(), []);

  function submit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate(tenants ? { email, password, tenant } : { email, password }, {
      onSuccess: (outcome) => {
        if (outcome.kind !== "choose-tenant") return;
        setTenants(outcome.tenants);
        setTenant(outcome.tenants[0]?.name ?? "");
      },
    });
  }

  function startOver() {
    setTenants(null);
    setTenant("");
    signIn.reset();
  }

  const busy = signIn.isPending;
  return (
    <main className="login">
      <div className="login-language">
        <LanguageSwitch />
      </div>
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <h1 id="login-title" className="login-title">
          AgentPaaS
        </h1>
        <p className="muted">{t("login.subtitle")}</p>
        {notice ? (
          <p className="notice" role="status">
            <NoticeText notice={notice} />
          </p>
        ) : null}
        <label className="field">
          <span className="field-label">{t("login.email")}</span>
          <input
            ref={emailRef}
            type="email"
            autoComplete="username"
            required
            value={email}
            disabled={tenants !== null}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">{t("login.password")}</span>
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            disabled={tenants !== null}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {tenants ? <TenantChooser tenants={tenants} value={tenant} onChange={setTenant} /> : null}
        <ProblemMessage error={signIn.error} />
        <div className="login-actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={busy || !email || !password || (tenants !== null && !tenant)}
          >
            {busy ? t("login.signingIn") : tenants ? t("login.continue") : t("login.signIn")}
          </button>
          {tenants ? (
            <button type="button" className="button" onClick={startOver}>
              {t("login.useAnother")}
            </button>
          ) : null}
        </div>
        {tenants ? null : <CompanySignIn />}
        <HealthNote />
      </form>
    </main>
  );
}
