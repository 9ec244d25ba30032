/**
 * "Sign in with your company account": the tenant's name (from `?tenant=` or the last one used
 * in this browser), then off to the tenant's identity provider. It lives inside the password
 * form, so it has no form of its own: Enter in its field starts it instead of the password login.
 */

import { useMutation } from "@tanstack/react-query";
import { useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { startOidcSignIn } from "../../api/identityProvider";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import "./companySignIn.css";

const LAST_TENANT_KEY = "agentpaas.oidc.tenant";

/** The page's query (none when rendered outside a browser). */
function pageQuery(): URLSearchParams {
  const location = typeof window === "undefined" ? undefined : (window.location as Location | undefined);
  return new URLSearchParams(location?.search ?? "");
}

function initialTenant(): string {
  const fromUrl = pageQuery().get("tenant");
  if (fromUrl) return fromUrl;
  try {
    return window.localStorage.getItem(LAST_TENANT_KEY) ?? "";
  } catch {
    return ""; // no storage (or no window): nothing remembered
  }
}

export function CompanySignIn() {
  const { t } = useTranslation("oidc");
  const { client } = useServices();
  const [tenant, setTenant] = useState(initialTenant);
  const [open, setOpen] = useState(() => pageQuery().has("tenant"));
  const start = useMutation({
    mutationFn: (name: string) => startOidcSignIn(client, name),
    onSuccess: (url, name) => {
      try {
        window.localStorage.setItem(LAST_TENANT_KEY, name);
      } catch {
        // Not remembered: the person types the name again next time.
      }
      window.location.assign(url);
    },
  });

  const go = () => {
    if (tenant.trim() && !start.isPending) start.mutate(tenant.trim());
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "Enter") return;
    event.preventDefault(); // not the password form's submit
    go();
  };

  if (!open) {
    // A link (to this page with the section open), so it never competes with the form's buttons.
    return (
      <p className="company-sign-in-link">
        <a
          href="/?tenant="
          onClick={(event) => {
            event.preventDefault();
            setOpen(true);
          }}
        >
          {t("signIn.open")}
        </a>
      </p>
    );
  }
  return (
    <fieldset className="field company-sign-in">
      <legend className="field-label">{t("signIn.legend")}</legend>
      <label className="field">
        <span className="field-label">{t("signIn.tenant")}</span>
        <input
          type="text"
          autoComplete="organization"
          value={tenant}
          onChange={(e) => setTenant(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <span className="field-hint muted">{t("signIn.tenantHint")}</span>
      </label>
      <ProblemMessage error={start.error} />
      <div className="login-actions">
        <button
          type="button"
          className="button button--primary"
          disabled={!tenant.trim() || start.isPending}
          onClick={go}
        >
          {start.isPending ? t("signIn.redirecting") : t("signIn.continue")}
        </button>
      </div>
    </fieldset>
  );
}
