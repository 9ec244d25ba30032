/**
 * Pure helpers of the tool store page: an entry's text in the reader's language, the same checks
 * of URL parameters the server makes (so the dialog says what is wrong before sending), and the
 * install request built from the dialog's fields.
 */

import type { ApiError } from "../../api/problem";
import type { EntryParameter, InstallRequest, Localized, StoreEntry, TenantRole } from "./api";

/** The text in the UI's language (zh-CN for every Chinese variant, en otherwise). */
export function localized(text: Localized | null | undefined, language: string): string {
  if (!text) return "";
  return language.toLowerCase().startsWith("zh") ? text["zh-CN"] : text.en;
}

const KIND_PATTERNS: Record<NonNullable<EntryParameter["kind"]>, RegExp> = {
  host: /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})(?::[0-9]{1,5})?$/,
  segment: /^[A-Za-z0-9._~-]{1,128}$/,
};
const STRUCTURAL = /[/?#@\\%\s]/;

/** Why a parameter value is refused (a `toolStore` message key and its values), or null. */
export type ParameterProblem = { key: "required" | "structural" | "kind" | "pattern"; pattern?: string } | null;

export function parameterProblem(parameter: EntryParameter, value: string): ParameterProblem {
  const filled = value.trim() || parameter.default || "";
  if (!filled) return { key: "required" };
  if (STRUCTURAL.test(filled)) return { key: "structural" };
  if (!KIND_PATTERNS[parameter.kind ?? "segment"].test(filled)) return { key: "kind" };
  if (parameter.pattern && !new RegExp(`^(?:${parameter.pattern})$`).test(filled)) {
    return { key: "pattern", pattern: parameter.pattern };
  }
  return null;
}

/** The parameters' problems by name (empty when all may be sent). */
export function parameterProblems(entry: StoreEntry, values: Record<string, string>): Record<string, ParameterProblem> {
  const problems: Record<string, ParameterProblem> = {};
  for (const parameter of entry.parameters) {
    const problem = parameterProblem(parameter, values[parameter.name] ?? "");
    if (problem) problems[parameter.name] = problem;
  }
  return problems;
}

/** Required credentials left empty, by name. */
export function missingCredentials(entry: StoreEntry, secrets: Record<string, string>): string[] {
  return entry.credentials.filter((c) => c.required !== false && !(secrets[c.name] ?? "").trim()).map((c) => c.name);
}

/** The request body: trimmed values (empty ones left to the entry's defaults), non-empty secrets only. */
export function installBody(
  entry: StoreEntry,
  values: Record<string, string>,
  secrets: Record<string, string>,
  roles: readonly TenantRole[],
): InstallRequest {
  const parameters: Record<string, string> = {};
  for (const p of entry.parameters) {
    const value = (values[p.name] ?? "").trim();
    if (value) parameters[p.name] = value;
  }
  const credentials: Record<string, string> = {};
  for (const c of entry.credentials) {
    const secret = (secrets[c.name] ?? "").trim();
    if (secret) credentials[c.name] = secret;
  }
  return { parameters, credentials, granted_roles: [...roles] };
}

/** A refused uninstall (409): one line per published agent version using the tools. */
export function usageLines(error: ApiError | null): string[] {
  if (!error || error.status !== 409) return [];
  return error.errors.filter((e) => e.path.startsWith("/agents/")).map((e) => e.message);
}

/** The badge tone of an installed server's status. */
export function statusTone(status: string): "ok" | "off" | "bad" {
  if (status === "active") return "ok";
  if (status === "error") return "bad";
  return "off";
}
