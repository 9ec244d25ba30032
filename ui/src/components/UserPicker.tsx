/**
 * Pick people of the tenant: a search box over the people directory (anyone signed in may search
 * it), the matches as buttons, the chosen ones as removable chips.
 */

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { listPeople, type Person } from "../api/groups";
import { useServices } from "../app/context";
import { SEARCH_DELAY_MS, useSettledText } from "./paged-list/usePagedList";
import "./userPicker.css";

/** A chosen person: their id and how to show them. */
export interface PickedUser {
  id: string;
  label: string;
}

interface Props {
  label: string;
  picked: readonly PickedUser[];
  onPick: (user: PickedUser) => void;
  onRemove: (id: string) => void;
  /** People who may not be chosen (the caller, say). */
  exclude?: readonly string[];
  disabled?: boolean;
}

/** "Ana Li <ana@example.com>", or the e-mail alone. */
export const personLabel = (person: Pick<Person, "email" | "display_name">): string =>
  person.display_name ? `${person.display_name} <${person.email}>` : person.email;

export function UserPicker({ label, picked, onPick, onRemove, exclude = [], disabled }: Props) {
  const { t } = useTranslation("approvals");
  const { client } = useServices();
  const [search, setSearch] = useState("");
  const q = useSettledText(search.trim(), SEARCH_DELAY_MS);
  const people = useQuery({
    queryKey: ["people", q],
    queryFn: ({ signal }) => listPeople(client, { q: q || undefined, limit: 20 }, signal),
    staleTime: 30_000,
  });
  const taken = new Set([...picked.map((user) => user.id), ...exclude]);
  const matches = (people.data?.items ?? []).filter((person) => !taken.has(person.id));

  return (
    <fieldset className="user-picker" disabled={disabled}>
      <legend className="field-label">{label}</legend>
      {picked.length > 0 ? (
        <ul className="user-picker-chips" aria-label={t("userPicker.chosen")}>
          {picked.map((user) => (
            <li key={user.id} className="tag user-chip">
              <span>{user.label}</span>
              <button
                type="button"
                className="user-chip-remove"
                aria-label={t("userPicker.remove", { name: user.label })}
                onClick={() => onRemove(user.id)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <input
        type="search"
        value={search}
        placeholder={t("userPicker.searchPlaceholder")}
        aria-label={t("userPicker.search")}
        onChange={(event) => setSearch(event.target.value)}
      />
      {people.isPending ? <p className="muted">{t("userPicker.loading")}</p> : null}
      {people.error ? (
        <p className="problem" role="alert">
          {t("userPicker.loadFailed")}
        </p>
      ) : null}
      {people.data && matches.length === 0 ? <p className="muted">{t("userPicker.noMatch")}</p> : null}
      {matches.length > 0 ? (
        <ul className="user-picker-matches">
          {matches.map((person) => (
            <li key={person.id}>
              <button
                type="button"
                className="button button--small button--ghost"
                aria-label={t("userPicker.choose", { name: personLabel(person) })}
                onClick={() => onPick({ id: person.id, label: personLabel(person) })}
              >
                {personLabel(person)}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
