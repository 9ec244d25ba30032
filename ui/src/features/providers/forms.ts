/**
 * The provider and service-config forms as data: what a form starts from, what it checks before
 * sending, the request body it sends, and where a 422's errors land. The API key is write-only:
 * a form never starts with it, and an edit sends it only when a new one was typed.
 */

import type { TFunction } from "i18next";
import { ApiError, toApiError } from "../../api/problem";
import type {
  Provider,
  ProviderCreate,
  ProviderKind,
  ProviderUpdate,
  ServiceConfig,
  ServiceConfigCreate,
  ServiceConfigUpdate,
} from "./api";

/** The server's rule for provider and service names. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** A field's message, by the request field it is about. */
export type FieldErrors = Partial<Record<string, string>>;

export interface ProviderForm {
  provider_name: string;
  display_name: string;
  kind: ProviderKind;
  base_url: string;
  description: string;
  is_active: boolean;
}

export interface ConfigForm {
  /** The provider's id as the select holds it ("" while none is chosen). */
  provider_id: string;
  service_name: string;
  service_display_name: string;
  model: string;
  /** A new key; "" sends none (on edit: keeps the stored one). */
  api_key: string;
  /** On edit: remove the stored key. */
  clear_api_key: boolean;
  is_default: boolean;
  is_active: boolean;
}

export const emptyProviderForm = (): ProviderForm => ({
  provider_name: "",
  display_name: "",
  kind: "openai",
  base_url: "",
  description: "",
  is_active: true,
});

export const providerFormOf = (provider: Provider): ProviderForm => ({
  provider_name: provider.provider_name,
  display_name: provider.display_name,
  kind: provider.kind as ProviderKind,
  base_url: provider.base_url ?? "",
  description: provider.description ?? "",
  is_active: provider.is_active,
});

export const emptyConfigForm = (providerId = ""): ConfigForm => ({
  provider_id: providerId,
  service_name: "",
  service_display_name: "",
  model: "",
  api_key: "",
  clear_api_key: false,
  is_default: false,
  is_active: true,
});

/** An edit starts from the config as shown; the key field starts empty whatever is stored. */
export const configFormOf = (config: ServiceConfig): ConfigForm => ({
  provider_id: String(config.provider_id),
  service_name: config.service_name,
  service_display_name: config.service_display_name,
  model: config.model,
  api_key: "",
  clear_api_key: false,
  is_default: config.is_default,
  is_active: config.is_active,
});

const orNull = (text: string) => text.trim() || null;

function urlProblem(text: string, t: TFunction): string | undefined {
  try {
    const url = new URL(text);
    if (url.protocol !== "http:" && url.protocol !== "https:") return t("providers:errors.url");
    if (url.username || url.password) return t("providers:errors.urlCredentials");
    if (url.search || url.hash) return t("providers:errors.urlQuery");
  } catch {
    return t("providers:errors.url");
  }
  return undefined;
}

/** What is wrong with a provider form before it is sent (`editing`: its name and kind are fixed). */
export function providerFormErrors(form: ProviderForm, editing: boolean, t: TFunction): FieldErrors {
  const errors: FieldErrors = {};
  if (!editing && !NAME.test(form.provider_name)) errors.provider_name = t("providers:errors.name");
  const url = form.base_url.trim();
  if (url) errors.base_url = urlProblem(url, t);
  else if (form.kind === "openai_compatible") errors.base_url = t("providers:errors.baseUrlRequired");
  return withoutEmpty(errors);
}

/** What is wrong with a service-config form before it is sent. */
export function configFormErrors(form: ConfigForm, editing: boolean, t: TFunction): FieldErrors {
  const errors: FieldErrors = {};
  if (!editing && !form.provider_id) errors.provider_id = t("providers:errors.provider");
  if (!editing && !NAME.test(form.service_name)) errors.service_name = t("providers:errors.name");
  if (!form.model.trim()) errors.model = t("providers:errors.model");
  if (form.api_key && !form.api_key.trim()) errors.api_key = t("providers:errors.blankKey");
  return errors;
}

function withoutEmpty(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([, message]) => message));
}

export function providerCreateBody(form: ProviderForm): ProviderCreate {
  return {
    provider_name: form.provider_name.trim(),
    display_name: orNull(form.display_name),
    kind: form.kind,
    base_url: orNull(form.base_url),
    description: orNull(form.description),
    is_active: form.is_active,
  };
}

/** An emptied URL or description is cleared; an emptied display name keeps the old one (it is required). */
export function providerUpdateBody(form: ProviderForm): ProviderUpdate {
  return {
    display_name: orNull(form.display_name),
    base_url: orNull(form.base_url),
    description: orNull(form.description),
    is_active: form.is_active,
  };
}

export function configCreateBody(form: ConfigForm): ServiceConfigCreate {
  const key = form.api_key.trim();
  return {
    provider_id: Number(form.provider_id),
    service_name: form.service_name.trim(),
    service_display_name: orNull(form.service_display_name),
    model: form.model.trim(),
    ...(key ? { api_key: key } : {}),
    is_default: form.is_default,
    is_active: form.is_active,
  };
}

/** The key goes only when a new one was typed; otherwise the stored key stays as it is. */
export function configUpdateBody(form: ConfigForm): ServiceConfigUpdate {
  const key = form.api_key.trim();
  return {
    service_display_name: orNull(form.service_display_name),
    model: form.model.trim(),
    ...(key ? { api_key: key } : form.clear_api_key ? { clear_api_key: true } : {}),
    is_default: form.is_default,
    is_active: form.is_active,
  };
}

/** A failed save's problem split for a form: messages under the fields they name, the rest as a whole. */
export interface PlacedProblem {
  /** A 422's messages by the request field they name (`/body/model` → `model`). */
  fields: FieldErrors;
  /** What the form's problem message shows: the error without the messages placed on fields (null: none). */
  rest: ApiError | null;
}

/** Place a 422's errors on the form's `fields`; every other failure stays whole. */
export function placeProblem(error: unknown, fields: readonly string[]): PlacedProblem {
  if (!error) return { fields: {}, rest: null };
  const problem = toApiError(error);
  if (problem.status !== 422) return { fields: {}, rest: problem };
  const placed: FieldErrors = {};
  const other = problem.errors.filter(({ path, message }) => {
    const field = /^\/body\/([^/]+)$/.exec(path)?.[1];
    if (field === undefined || !fields.includes(field)) return true;
    placed[field] ??= message;
    return false;
  });
  const rest = new ApiError({
    status: problem.status,
    title: problem.title,
    detail: problem.detail,
    type: problem.type,
    errors: other,
  });
  return { fields: placed, rest };
}
