/**
 * A signed-in person's settings follow them: when a session starts (sign-in, or a reload with a
 * stored session) their preferences are loaded and the page takes their language and theme.
 * Signed out, the page keeps what this browser last used.
 */

import i18next from "i18next";
import { getPreferences, type Preferences } from "../api/preferences";
import type { ApiClient } from "../api/client";
import { toSupportedLanguage } from "../lib/i18n";
import { themeStore } from "../lib/theme";
import type { SessionStore } from "./sessionStore";

/** The preferences' place in the query cache (the settings section and the language switch). */
export const PREFERENCES_KEY = ["me", "preferences"] as const;

/** Put the language and theme of `preferences` in force (a null language leaves the browser's). */
export function applyPreferences(preferences: Preferences): void {
  if (preferences.theme) themeStore.choose(preferences.theme);
  if (preferences.language && toSupportedLanguage(i18next.language) !== preferences.language) {
    void i18next.changeLanguage(preferences.language);
  }
}

/**
 * Each time a session becomes ready, load the person's preferences and apply them, except what
 * the person changed on this page while they loaded: a language picked right after a reload
 * must not be undone by the saved one arriving later.
 */
export function followPreferences(session: SessionStore, client: ApiClient): () => void {
  let signedIn = session.getState().status === "ready";
  const load = () => {
    const language = i18next.language;
    const theme = themeStore.getState().choice;
    getPreferences(client).then(
      (saved) =>
        applyPreferences({
          ...saved,
          language: i18next.language === language ? saved.language : null,
          theme: themeStore.getState().choice === theme ? saved.theme : undefined,
        }),
      () => undefined, // unreachable: keep the page as it is
    );
  };
  if (signedIn) load();
  return session.subscribe(() => {
    const ready = session.getState().status === "ready";
    if (ready && !signedIn) load();
    signedIn = ready;
  });
}
