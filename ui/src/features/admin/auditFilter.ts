/** The audit log's filter form: its text fields, and the API filter they mean. */

import type { TFunction } from "i18next";
import type { AuditActorType, AuditFilter, AuditOutcome } from "../../api/audit";

export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ["success", "denied", "failed"];
export const AUDIT_ACTOR_TYPES: readonly AuditActorType[] = ["user", "api_key"];

/** What the form holds: every field a string ("" is no filter); times as `<input type="datetime-local">` values. */
export interface AuditForm {
  action: string;
  outcome: "" | AuditOutcome;
  actor_type: "" | AuditActorType;
  actor_id: string;
  target_type: string;
  target_id: string;
  request_id: string;
  since: string;
  until: string;
}

export const EMPTY_AUDIT_FORM: AuditForm = {
  action: "",
  outcome: "",
  actor_type: "",
  actor_id: "",
  target_type: "",
  target_id: "",
  request_id: "",
  since: "",
  until: "",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A local `datetime-local` value as an ISO time; undefined when blank or unreadable. */
export function localTimeToIso(value: string): string | undefined {
  if (!value.trim()) return undefined;
  const time = new Date(value).getTime();
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

/** Check the form; answers field → message (in the reader's language) for what the API would refuse. */
export function auditFormErrors(form: AuditForm, t: TFunction): Partial<Record<keyof AuditForm, string>> {
  const errors: Partial<Record<keyof AuditForm, string>> = {};
  const actor = form.actor_id.trim();
  if (actor && !UUID.test(actor)) errors.actor_id = t("admin:audit.errors.actorId");
  const since = localTimeToIso(form.since);
  const until = localTimeToIso(form.until);
  if (since && until && since >= until) errors.until = t("admin:audit.errors.until");
  return errors;
}

/** The API filter of a form: trimmed, blanks dropped, times in ISO. */
export function auditFilterFromForm(form: AuditForm): AuditFilter {
  const filter: AuditFilter = {};
  const text = (value: string) => value.trim() || undefined;
  const set = <K extends keyof AuditFilter>(key: K, value: AuditFilter[K] | undefined) => {
    if (value !== undefined) filter[key] = value;
  };
  set("action", text(form.action));
  set("outcome", form.outcome || undefined);
  set("actor_type", form.actor_type || undefined);
  set("actor_id", text(form.actor_id));
  set("target_type", text(form.target_type));
  set("target_id", text(form.target_id));
  set("request_id", text(form.request_id));
  set("since", localTimeToIso(form.since));
  set("until", localTimeToIso(form.until));
  return filter;
}
