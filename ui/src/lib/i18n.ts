/**
 * Translations: zh-CN first, en second. One JSON file per namespace and language under
 * `src/locales/<lang>/<namespace>.json`; the browser's locale decides until the person picks
 * one, and the pick is remembered in this browser. `<html lang>` follows the language.
 */

import i18next, { type i18n as I18n } from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";

export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "zh-CN";
/** Where the person's choice is kept (localStorage). */
export const LANGUAGE_STORAGE_KEY = "agentpaas.language";

type Catalog = Record<string, unknown>;
const files = import.meta.glob<Catalog>("../locales/*/*.json", { eager: true, import: "default" });

/** Every catalog as `{ language: { namespace: messages } }`, read from the locale files. */
export function loadResources(): Record<string, Record<string, Catalog>> {
  const resources: Record<string, Record<string, Catalog>> = {};
  for (const [path, messages] of Object.entries(files)) {
    const match = /locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!match) continue;
    const [, language, namespace] = match as unknown as [string, string, string];
    (resources[language] ??= {})[namespace] = messages;
  }
  return resources;
}

/** A supported language for any BCP 47 tag: every Chinese variant reads zh-CN, other tags en. */
export function toSupportedLanguage(tag: string | null | undefined): Language {
  const lower = (tag ?? "").toLowerCase();
  if (lower.startsWith("zh")) return "zh-CN";
  if (lower.startsWith("en")) return "en";
  return DEFAULT_LANGUAGE;
}

/** The language in force (always one of LANGUAGES). */
export function currentLanguage(instance: I18n = i18next): Language {
  return toSupportedLanguage(instance.resolvedLanguage ?? instance.language);
}

/** Set up i18next once; returns the instance (tests pass a language to skip detection). */
export function initI18n(language?: Language): I18n {
  if (!i18next.isInitialized) {
    const resources = loadResources();
    void i18next
      .use(LanguageDetector)
      .use(initReactI18next)
      .init({
        resources,
        ns: Object.keys(resources[DEFAULT_LANGUAGE] ?? {}),
        defaultNS: "common",
        fallbackNS: "common",
        supportedLngs: [...LANGUAGES],
        fallbackLng: DEFAULT_LANGUAGE,
        load: "currentOnly",
        ...(language ? { lng: language } : {}),
        detection: {
          order: ["localStorage", "navigator"],
          lookupLocalStorage: LANGUAGE_STORAGE_KEY,
          caches: ["localStorage"],
          convertDetectedLanguage: (tag: string) => toSupportedLanguage(tag),
        },
        interpolation: { escapeValue: false }, // React escapes
        returnNull: false,
      });
    const followDocument = () => {
      if (typeof document !== "undefined") document.documentElement.lang = currentLanguage();
    };
    i18next.on("languageChanged", followDocument);
    followDocument();
  }
  return i18next;
}
