/**
 * The language switch, in the header and on the login page (a person picks a language before
 * logging in): 中文 / English. i18next's detector remembers the choice in this browser and
 * `<html lang>` follows it (lib/i18n.ts); signed in, the choice is also saved in the person's
 * preferences, so it follows them to other browsers.
 */

import { useContext } from "react";
import { useTranslation } from "react-i18next";
import { updatePreferences } from "../api/preferences";
import { currentLanguage, LANGUAGES, type Language } from "../lib/i18n";
import { PREFERENCES_KEY } from "../session/preferences";
import { ServicesContext } from "./context";

const NAMES: Record<Language, string> = { "zh-CN": "中文", en: "English" };

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const services = useContext(ServicesContext);
  const language = currentLanguage(i18n);
  const choose = (next: Language) => {
    void i18n.changeLanguage(next);
    if (services?.session.getState().status !== "ready") return;
    // Best effort: the page is already in the new language; a failed save only means the
    // next sign-in starts in the old one.
    updatePreferences(services.client, { language: next }).then(
      (saved) => services.queries.setQueryData(PREFERENCES_KEY, saved),
      () => undefined,
    );
  };
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t("language.label")}</span>
      <select
        value={language}
        aria-label={t("language.label")}
        onChange={(event) => choose(event.target.value as Language)}
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
