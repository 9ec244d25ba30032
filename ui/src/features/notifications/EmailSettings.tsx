/** Which notification kinds the person also receives by e-mail (saved on each change). */

import { useTranslation } from "react-i18next";
import { ProblemMessage } from "../../components/ProblemMessage";
import { NOTIFICATION_KINDS, useNotificationSettings, useSaveNotificationSettings, type NotificationKind } from "./api";

export function EmailSettings() {
  const { t } = useTranslation("notifications");
  const settings = useNotificationSettings();
  const save = useSaveNotificationSettings();
  const chosen = settings.data?.email_kinds ?? [];

  const toggle = (kind: NotificationKind, on: boolean) =>
    save.mutate({ email_kinds: on ? [...chosen, kind] : chosen.filter((k) => k !== kind) });

  return (
    <details className="notification-email">
      <summary>{t("email.title")}</summary>
      <p className="muted">{t("email.intro")}</p>
      <fieldset disabled={!settings.data || save.isPending}>
        <legend className="visually-hidden">{t("email.title")}</legend>
        {NOTIFICATION_KINDS.map((kind) => (
          <label key={kind} className="notifications-filter">
            <input
              type="checkbox"
              checked={chosen.includes(kind)}
              onChange={(event) => toggle(kind, event.target.checked)}
            />
            {t(`kinds.${kind}.title`)}
          </label>
        ))}
      </fieldset>
      <ProblemMessage error={settings.error ?? save.error} context={t("email.failed")} />
    </details>
  );
}
