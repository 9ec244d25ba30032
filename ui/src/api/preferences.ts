/** The caller's own settings: language, theme, e-mail choices, default model parameters. */

import type { ApiClient } from "./client";
import type { Schemas } from "./types";

export type Preferences = Schemas["Preferences"];
export type PreferencesUpdate = Schemas["PreferencesUpdate"];
export type ModelDefaults = Schemas["ModelDefaults"];

const PATH = "/api/v1/me/preferences";

export function getPreferences(client: ApiClient, signal?: AbortSignal): Promise<Preferences> {
  return client.request<Preferences>(PATH, { signal });
}

/** Change only the fields given (`language: null` = follow the browser). Throws ApiError (422 by field). */
export function updatePreferences(client: ApiClient, change: PreferencesUpdate): Promise<Preferences> {
  return client.request<Preferences>(PATH, { method: "PATCH", json: change });
}
