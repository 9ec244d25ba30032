/** The audit log's filter form: edited freely, applied on submit (Enter or "Apply"). */

import { useEffect, useState, type FormEvent } from "react";
import { auditFormErrors, type AuditForm } from "./auditFilter";
import { TextField } from "../../components/TextField";

interface Props {
  form: AuditForm;
  onApply: (form: AuditForm) => void;
  onReset: () => void;
}

export function AuditFilters({ form, onApply, onReset }: Props) {
  const [draft, setDraft] = useState(form);
  const [checked, setChecked] = useState(false);
  useEffect(() => setDraft(form), [form]);
  const errors = checked ? auditFormErrors(draft) : {};
  const set = (key: keyof AuditForm) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(auditFormErrors(draft)).length > 0) return;
    setChecked(false);
    onApply(draft);
  };

  return (
    <form className="filters audit-filters" onSubmit={submit} aria-label="Filter the audit log">
      <TextField label="Action" value={draft.action} onChange={set("action")} placeholder="POST /api/v1/chats" />
      <label className="field">
        <span className="field-label">Outcome</span>
        <select value={draft.outcome} onChange={(e) => set("outcome")(e.target.value)}>
          <option value="">Any</option>
          <option value="success">Success</option>
          <option value="denied">Denied</option>
          <option value="failed">Failed</option>
        </select>
      </label>
      <label className="field">
        <span className="field-label">Actor type</span>
        <select value={draft.actor_type} onChange={(e) => set("actor_type")(e.target.value)}>
          <option value="">Any</option>
          <option value="user">User</option>
          <option value="api_key">API key</option>
        </select>
      </label>
      <TextField
        label="Actor id"
        value={draft.actor_id}
        onChange={set("actor_id")}
        placeholder="UUID"
        error={errors.actor_id}
      />
      <TextField label="Target type" value={draft.target_type} onChange={set("target_type")} placeholder="e.g. chat" />
      <TextField label="Target id" value={draft.target_id} onChange={set("target_id")} />
      <TextField label="Request id" value={draft.request_id} onChange={set("request_id")} />
      <TextField label="Since" type="datetime-local" value={draft.since} onChange={set("since")} />
      <TextField label="Until" type="datetime-local" value={draft.until} onChange={set("until")} error={errors.until} />
      <div className="filters-actions">
        <button type="submit" className="button button--primary button--small">
          Apply
        </button>
        <button type="button" className="button button--small" onClick={onReset}>
          Clear
        </button>
      </div>
    </form>
  );
}
