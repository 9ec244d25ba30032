/**
 * A problem the server describes by a stable code (`node.unreachable`) and params (`{node:
 * "router"}`), said in the reader's language from the `problems` namespace. The server's own
 * message (English) stands in when the code is unknown here (a newer server) or the text names
 * a param the problem does not carry — an English sentence beats a sentence with a hole.
 */

import type { i18n as I18n } from "i18next";
import { currentLanguage } from "./i18n";

export const PROBLEMS_NAMESPACE = "problems";

/** What the text needs: the code and params when the server sent them, and its message. */
export interface CodedText {
  message: string;
  code?: string | null;
  params?: Record<string, unknown> | null;
}

/** A text and the language it is in (for the element's `lang`). */
export interface LocalizedText {
  text: string;
  lang: string;
}

// `{{name}}` and `{{name, format}}`.
const PLACEHOLDER = /\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g;

/** The problem in the current language, or its message (English) when it has no text here. */
export function problemText(problem: CodedText, i18n: I18n): LocalizedText {
  const fallback = { text: problem.message, lang: "en" };
  if (!problem.code) return fallback;
  const language = currentLanguage(i18n);
  const template: unknown = i18n.getResource(language, PROBLEMS_NAMESPACE, problem.code);
  if (typeof template !== "string") return fallback;
  const params = problem.params ?? {};
  const names = [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? "");
  if (!names.every((name) => params[name] !== undefined && params[name] !== null)) return fallback;
  // `replace` keeps params apart from t's options (a param named `count` must not pluralise).
  const text = i18n.t(problem.code, { ns: PROBLEMS_NAMESPACE, lng: language, replace: params });
  return { text, lang: language };
}
