/**
 * The settings section's logic: the preferences query and change, the default model parameters
 * as form text and back, and a validation problem's messages by field.
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getPreferences, updatePreferences, type Preferences, type PreferencesUpdate } from "../../api/preferences";
import { toApiError } from "../../api/problem";
import { useServices } from "../../app/context";
import { applyPreferences, PREFERENCES_KEY } from "../../session/preferences";

export type EmailKind = NonNullable<Preferences["email_kinds"]>[number];

// A record, so a kind the server adds is a type error here until it is listed.
const EMAIL_KIND_SET: Record<EmailKind, true> = {
  task_assigned: true,
  task_escalated: true,
  task_deadline_near: true,
  submission_approved: true,
  submission_rejected: true,
  run_failed: true,
  agent_version_published: true,
  run_waiting_for_budget: true,
};
export const EMAIL_KINDS = Object.keys(EMAIL_KIND_SET) as EmailKind[];

/** The caller's preferences. */
export function usePreferences() {
  const { client } = useServices();
  return useQuery({ queryKey: PREFERENCES_KEY, queryFn: ({ signal }) => getPreferences(client, signal) });
}

/** Change some preferences; what was saved is put in force (language, theme) and cached. */
export function useSavePreferences() {
  const { client } = useServices();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (change: PreferencesUpdate) => updatePreferences(client, change),
    onSuccess: (saved) => {
      queries.setQueryData(PREFERENCES_KEY, saved);
      applyPreferences(saved);
    },
  });
}

/** The model-parameter fields as typed (empty = the agent's own value). */
export interface ModelDefaultsForm {
  temperature: string;
  maxTokens: string;
}

/** The fields whose text is not a value in range. */
export type ModelDefaultsErrors = Partial<Record<keyof ModelDefaultsForm, true>>;

export function formFromDefaults(defaults: Preferences["model_defaults"]): ModelDefaultsForm {
  return {
    temperature: defaults?.temperature == null ? "" : String(defaults.temperature),
    maxTokens: defaults?.max_tokens == null ? "" : String(defaults.max_tokens),
  };
}

/** The form's values for the API, and which fields are out of range (the server checks the same). */
export function defaultsFromForm(form: ModelDefaultsForm): {
  value: { temperature: number | null; max_tokens: number | null };
  errors: ModelDefaultsErrors;
} {
  const errors: ModelDefaultsErrors = {};
  const temperature = form.temperature.trim() === "" ? null : Number(form.temperature);
  if (temperature !== null && !(Number.isFinite(temperature) && temperature >= 0 && temperature <= 2)) {
    errors.temperature = true;
  }
  const maxTokens = form.maxTokens.trim() === "" ? null : Number(form.maxTokens);
  if (maxTokens !== null && !(Number.isInteger(maxTokens) && maxTokens >= 1 && maxTokens <= 1_000_000)) {
    errors.maxTokens = true;
  }
  return { value: { temperature, max_tokens: maxTokens }, errors };
}

/** The messages of a 422 for one field (its path ends in `/<field>`). */
export function serverErrorsFor(error: unknown, field: string): string[] {
  if (!error) return [];
  return toApiError(error)
    .errors.filter((item) => item.path.endsWith(`/${field}`))
    .map((item) => item.message);
}
