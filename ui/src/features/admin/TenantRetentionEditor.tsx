/** A tenant's audit log retention in days; blank follows the platform default. */

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TextField } from "../../components/TextField";
import { tenantQuery, updateTenantMutation } from "./queries";
import {
  AUDIT_RETENTION_MAX_DAYS,
  AUDIT_RETENTION_MIN_DAYS,
  retentionFormFrom,
  settingsWithRetention,
} from "./retentionForm";

export function TenantRetentionEditor({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation("retention");
  const { client } = useServices();
  const tenant = useQuery(tenantQuery(client, tenantId));
  const update = useMutation(updateTenantMutation(client));
  // The text as loaded until the person edits it.
  const [edited, setEdited] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  if (!tenant.data) return null;
  const settings = tenant.data.settings;
  const text = edited ?? retentionFormFrom(settings);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (update.isPending) return;
    const parsed = settingsWithRetention(settings, text, t);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(undefined);
    update.mutate({ tenantId, body: { settings: parsed.settings } }, { onSuccess: () => setEdited(null) });
  };

  return (
    <form className="retention-editor" onSubmit={submit} aria-label={t("title")}>
      <TextField
        label={t("auditDays")}
        inputMode="numeric"
        value={text}
        placeholder={t("platformDefault")}
        hint={t("auditDaysHint", { min: AUDIT_RETENTION_MIN_DAYS, max: AUDIT_RETENTION_MAX_DAYS })}
        error={error}
        onChange={setEdited}
      />
      <ProblemMessage error={update.error && toApiError(update.error)} context={t("saveError")} />
      {update.isSuccess ? (
        <p className="notice" role="status">
          {t("saved")}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button--primary button--small" disabled={update.isPending}>
          {update.isPending ? t("saving") : t("save")}
        </button>
      </div>
    </form>
  );
}
