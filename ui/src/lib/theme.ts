/**
 * The colour theme: light, dark, or "system" (follows the device's `prefers-color-scheme`, live).
 * The theme in force is `data-theme="light|dark"` on `<html>`; the stylesheets define every colour
 * as a custom property per theme (styles/base.css). The choice is remembered in this browser, so a
 * reload is in the right colours before the account's settings arrive; a signed-in person's
 * choice is also kept in their preferences (session/preferences.ts).
 */

import { useSyncExternalStore } from "react";
import { Observable } from "./observable";

export const THEMES = ["light", "dark", "system"] as const;
export type Theme = (typeof THEMES)[number];
export type ResolvedTheme = "light" | "dark";
/** Where the choice is kept (localStorage). */
export const THEME_STORAGE_KEY = "agentpaas.theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

export interface ThemeState {
  choice: Theme;
  resolved: ResolvedTheme;
}

const isTheme = (value: unknown): value is Theme => THEMES.includes(value as Theme);

function systemPrefersDark(): boolean {
  return typeof window !== "undefined" && typeof window.matchMedia === "function"
    ? window.matchMedia(DARK_QUERY).matches
    : false;
}

function storedChoice(): Theme {
  try {
    const stored = window.localStorage.getItem(THEME_STORAGE_KEY);
    return isTheme(stored) ? stored : "system";
  } catch {
    return "system"; // storage disabled
  }
}

/** The theme chosen and the one in force; applies it to `<html>`. */
export class ThemeStore extends Observable<ThemeState> {
  private started = false;

  constructor() {
    super({ choice: "system", resolved: "light" });
  }

  /** Apply the remembered choice and follow the device's setting from now on (idempotent). */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (typeof window !== "undefined" && typeof window.matchMedia === "function") {
      // "system" follows the device live (a change of the OS setting while the page is open).
      window.matchMedia(DARK_QUERY).addEventListener?.("change", () => this.apply(this.getState().choice));
    }
    this.apply(storedChoice());
  }

  /** Choose a theme: applied at once and remembered in this browser. */
  choose(choice: Theme): void {
    const next = isTheme(choice) ? choice : "system";
    try {
      window.localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // storage disabled: the choice lasts as long as the page
    }
    this.apply(next);
  }

  private apply(choice: Theme): void {
    const resolved: ResolvedTheme = choice === "system" ? (systemPrefersDark() ? "dark" : "light") : choice;
    if (typeof document !== "undefined") document.documentElement.dataset.theme = resolved;
    this.update((state) => (state.choice === choice && state.resolved === resolved ? state : { choice, resolved }));
  }
}

/** The page's one theme (like i18next's instance: there is one document to colour). */
export const themeStore = new ThemeStore();

/** The theme in force, for components that draw their own colours (React Flow, CodeMirror). */
export function useResolvedTheme(): ResolvedTheme {
  const get = () => themeStore.getState().resolved;
  return useSyncExternalStore(themeStore.subscribe, get, get);
}

/** The theme chosen ("system" included). */
export function useThemeChoice(): Theme {
  const get = () => themeStore.getState().choice;
  return useSyncExternalStore(themeStore.subscribe, get, get);
}
