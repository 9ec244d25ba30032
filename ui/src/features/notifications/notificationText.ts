/** A notification's title and sentence in the reader's language, from its kind and data. */

import type { TFunction } from "i18next";
import type { Notification } from "./api";

/** Every placeholder the sentences use: one missing from the data reads as nothing, not "{{…}}". */
const PLACEHOLDERS = ["agent_name", "version", "reason", "node_name"] as const;

/** Only plain values reach the sentence: data never carries markup or nested objects. */
function values(data: Notification["data"]): Record<string, string> {
  const plain: Record<string, string> = Object.fromEntries(PLACEHOLDERS.map((name) => [name, ""]));
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === "string" || typeof value === "number") plain[key] = String(value);
  }
  return plain;
}

export function notificationText(t: TFunction, note: Notification): { title: string; body: string } {
  const data = values(note.data);
  return {
    title: t(`kinds.${note.kind}.title`, { defaultValue: t("notifications:kinds.other.title") }),
    body: t(`kinds.${note.kind}.body`, { ...data, defaultValue: t("notifications:kinds.other.body") }),
  };
}
