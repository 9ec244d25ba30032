/** Email and password, then (when the email is in several tenants) a tenant choice. */

import { useEffect, useRef, useState, type FormEvent } from "react";
import { toApiError, type ApiError } from "../../api/problem";
import type { TenantChoice } from "../../api/types";
import { useServices } from "../../app/context";
import { HealthNote } from "./HealthNote";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TenantChooser } from "./TenantChooser";

export function LoginPage({ notice }: { notice: string | null }) {
  const { session } = useServices();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [tenants, setTenants] = useState<TenantChoice[] | null>(null);
  const [tenant, setTenant] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);

  useEffect(() => emailRef.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (tenants) {
        await session.loginWithTenant(email, password, tenant);
      } else {
        const outcome = await session.login(email, password);
        if (outcome.kind === "choose-tenant") {
          setTenants(outcome.tenants);
          setTenant(outcome.tenants[0]?.name ?? "");
        }
      }
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  function startOver() {
    setTenants(null);
    setTenant("");
    setError(null);
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <h1 id="login-title" className="login-title">
          AgentPaaS
        </h1>
        <p className="muted">Sign in to chat with your agents.</p>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <label className="field">
          <span className="field-label">Email</span>
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
          <span className="field-label">Password</span>
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
        <ProblemMessage error={error} />
        <div className="login-actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={busy || !email || !password || (tenants !== null && !tenant)}
          >
            {busy ? "Signing in…" : tenants ? "Continue" : "Sign in"}
          </button>
          {tenants ? (
            <button type="button" className="button" onClick={startOver}>
              Use another account
            </button>
          ) : null}
        </div>
        <HealthNote />
      </form>
    </main>
  );
}
