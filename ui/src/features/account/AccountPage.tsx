/** The account: who is logged in, password, logging out (here or everywhere), API keys and tool permissions. */

import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Me } from "../../api/types";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { canGrantTools } from "../../session/roles";
import { ApiKeysSection } from "./ApiKeysSection";
import { ChangePasswordForm } from "./ChangePasswordForm";
import { SettingsSection } from "./SettingsSection";
import { PersonalKeysSection } from "./PersonalKeysSection";
import { ToolGrantsSection } from "./ToolGrantsSection";

export function AccountPage({ me }: { me: Me }) {
  const { t } = useTranslation("account");
  const { session } = useServices();
  // On success the session is over and the login page replaces this one.
  const everywhere = useConfirmedMutation(useMutation({ mutationFn: () => session.logoutEverywhere() }));
  return (
    <section className="page account" aria-labelledby="account-title">
      <h1 id="account-title">{t("title")}</h1>
      <dl className="facts">
        <div>
          <dt>{t("facts.email")}</dt>
          <dd>{me.email}</dd>
        </div>
        {me.display_name ? (
          <div>
            <dt>{t("facts.name")}</dt>
            <dd>{me.display_name}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t("facts.role")}</dt>
          <dd>{t(`common:roles.${me.role}`, { defaultValue: me.role })}</dd>
        </div>
        <div>
          <dt>{t("facts.organisation")}</dt>
          <dd>
            {me.tenant_display_name || me.tenant_name} <span className="muted">({me.tenant_name})</span>
          </dd>
        </div>
      </dl>
      <h2>{t("sessions.title")}</h2>
      <p className="muted">{t("sessions.intro")}</p>
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void session.logout()}>
          {t("sessions.logout")}
        </button>
        <button type="button" className="button button--danger-outline" onClick={() => everywhere.ask()}>
          {t("sessions.everywhereAsk")}
        </button>
      </div>
      <ConfirmDialog
        title={t("sessions.everywhereTitle")}
        confirmLabel={t("sessions.everywhere")}
        danger
        {...everywhere.dialog}
      >
        <p>{t("sessions.everywhereText", { email: me.email })}</p>
      </ConfirmDialog>
      <SettingsSection />
      <ChangePasswordForm />
      <ApiKeysSection />
      {me.role !== "viewer" ? <PersonalKeysSection /> : null}
      {canGrantTools(me.role) ? <ToolGrantsSection /> : null}
    </section>
  );
}
