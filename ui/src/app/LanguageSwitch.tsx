/**
 * The language switch, in the header and on the login page (a person picks a language before
 * logging in): 中文 / English. i18next's detector remembers the choice in this browser and
 * `<html lang>` follows it (lib/i18n.ts).
 */

import { useTranslation } from "react-i18next";
import { currentLanguage, LANGUAGES, type Language } from "../lib/i18n";

const NAMES: Record<Language, string> = { "zh-CN": "中文", en: "English" };

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t("language.label")}</span>
      <select
        value={language}
        aria-label={t("language.label")}
        onChange={(event) => void i18n.changeLanguage(event.target.value)}
      >
        {LANGUAGES.map((lang) => (
          <option key={lang} value={lang} lang={lang}>
            {NAMES[lang]}
          </option>
        ))}
      </select>
    </label>
  );
}
