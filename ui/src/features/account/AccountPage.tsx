/** The account: who is logged in, password, logging out (here or everywhere), API keys and tool permissions. */

import { useState } from "react";
import type { Me } from "../../api/types";
import { useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { canGrantTools } from "../../session/roles";
import { ApiKeysSection } from "./ApiKeysSection";
import { ChangePasswordForm } from "./ChangePasswordForm";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { ToolGrantsSection } from "../tools/ToolGrantsSection";

export function AccountPage({ me }: { me: Me }) {
  const { session } = useServices();
  const everywhere = useAction();
  const [confirm, setConfirm] = useState(false);
  return (
    <section className="page account" aria-labelledby="account-title">
      <h1 id="account-title">Account</h1>
      <dl className="facts">
        <div>
          <dt>Email</dt>
          <dd>{me.email}</dd>
        </div>
        {me.display_name ? (
          <div>
            <dt>Name</dt>
            <dd>{me.display_name}</dd>
          </div>
        ) : null}
        <div>
          <dt>Role</dt>
          <dd>{me.role}</dd>
        </div>
        <div>
          <dt>Organisation</dt>
          <dd>
            {me.tenant_display_name || me.tenant_name} <span className="muted">({me.tenant_name})</span>
          </dd>
        </div>
      </dl>
      <h2>Sessions</h2>
      <p className="muted">
        “Log out everywhere” ends every login of this account, on every device and browser, including this one.
      </p>
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void session.logout()}>
          Log out
        </button>
        <button type="button" className="button button--danger-outline" onClick={() => setConfirm(true)}>
          Log out everywhere…
        </button>
      </div>
      <ConfirmDialog
        open={confirm}
        title="Log out everywhere?"
        confirmLabel="Log out everywhere"
        danger
        pending={everywhere.pending}
        error={everywhere.error}
        onCancel={() => {
          setConfirm(false);
          everywhere.clearError();
        }}
        onConfirm={() => void everywhere.run(() => session.logoutEverywhere())}
      >
        <p>Every device signed in to {me.email} has to log in again. API keys keep working; revoke them below.</p>
      </ConfirmDialog>
      {!confirm ? <ProblemMessage error={everywhere.error} /> : null}
      <ChangePasswordForm />
      <ApiKeysSection />
      {canGrantTools(me.role) ? <ToolGrantsSection /> : null}
    </section>
  );
}
