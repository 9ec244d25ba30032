/** The audit log's filter form: edited freely, applied on submit (Enter or "Apply"). */

import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { TextField } from "../../components/TextField";
import { AUDIT_ACTOR_TYPES, AUDIT_OUTCOMES, auditFormErrors, type AuditForm } from "./auditFilter";

interface Props {
  form: AuditForm;
  onApply: (form: AuditForm) => void;
  onReset: () => void;
}

export function AuditFilters({ form, onApply, onReset }: Props) {
  const { t } = useTranslation("admin");
  const [draft, setDraft] = useState(form);
  const [checked, setChecked] = useState(false);
  useEffect(() => setDraft(form), [form]);
  const errors = checked ? auditFormErrors(draft, t) : {};
  const set = (key: keyof AuditForm) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(auditFormErrors(draft, t)).length > 0) return;
    setChecked(false);
    onApply(draft);
  };

  return (
    <form className="filters audit-filters" onSubmit={submit} aria-label={t("audit.filtersLabel")}>
      <TextField
        label={t("audit.columns.action")}
        value={draft.action}
        onChange={set("action")}
        placeholder="POST /api/v1/chats"
      />
      <label className="field">
        <span className="field-label">{t("audit.columns.outcome")}</span>
        <select value={draft.outcome} onChange={(e) => set("outcome")(e.target.value)}>
          <option value="">{t("any")}</option>
          {AUDIT_OUTCOMES.map((outcome) => (
            <option key={outcome} value={outcome}>
              {t(`audit.outcome.${outcome}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t("audit.actorType")}</span>
        <select value={draft.actor_type} onChange={(e) => set("actor_type")(e.target.value)}>
          <option value="">{t("any")}</option>
          {AUDIT_ACTOR_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`audit.actor.${type}`)}
            </option>
          ))}
        </select>
      </label>
      <TextField
        label={t("audit.actorId")}
        value={draft.actor_id}
        onChange={set("actor_id")}
        placeholder="UUID"
        error={errors.actor_id}
      />
      <TextField
        label={t("audit.targetType")}
        value={draft.target_type}
        onChange={set("target_type")}
        placeholder={t("audit.targetTypeExample")}
      />
      <TextField label={t("audit.targetId")} value={draft.target_id} onChange={set("target_id")} />
      <TextField label={t("audit.requestId")} value={draft.request_id} onChange={set("request_id")} />
      <TextField label={t("audit.since")} type="datetime-local" value={draft.since} onChange={set("since")} />
      <TextField
        label={t("audit.until")}
        type="datetime-local"
        value={draft.until}
        onChange={set("until")}
        error={errors.until}
      />
      <div className="filters-actions">
        <button type="submit" className="button button--primary button--small">
          {t("audit.apply")}
        </button>
        <button type="button" className="button button--small" onClick={onReset}>
          {t("audit.clear")}
        </button>
      </div>
    </form>
  );
}
