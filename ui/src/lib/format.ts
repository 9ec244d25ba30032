/** Numbers and dates in the chosen language, through `Intl` (never hand-formatted). */

import { useTranslation } from "react-i18next";
import { toSupportedLanguage, type Language } from "./i18n";

/** The current language as a locale for `Intl` and the `text/time` helpers. */
export function useLocale(): Language {
  const { i18n } = useTranslation();
  return toSupportedLanguage(i18n.resolvedLanguage ?? i18n.language);
}

/** A number grouped the local way ("12,345" / "12,345"; percentages, compact forms by options). */
export function formatNumber(value: number, locale: string, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale, options).format(value);
}
