/** Two version pickers, "from" and "to", and a swap; used on the agent page and the diff page. */

import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { VersionSummary } from "../api";
import type { VersionPair } from "./pair";

interface Props {
  versions: readonly VersionSummary[];
  value: VersionPair;
  onChange: (pair: VersionPair) => void;
}

export function VersionPicker({ versions, value, onChange }: Props) {
  const { t } = useTranslation("diff");
  const id = useId();
  const options = versions.map((v) => (
    <option key={v.id} value={v.id}>
      {t("studio.option", { version: v.version, status: t(`studio:status.${v.status}`, { defaultValue: v.status }) })}
    </option>
  ));
  return (
    <div className="version-picker">
      <span className="version-picker-field">
        <label className="field-label" htmlFor={`${id}-from`}>
          {t("studio.from")}
        </label>
        <select id={`${id}-from`} value={value.from} onChange={(e) => onChange({ ...value, from: e.target.value })}>
          {options}
        </select>
      </span>
      <button
        type="button"
        className="button button--small button--ghost version-picker-swap"
        onClick={() => onChange({ from: value.to, to: value.from })}
      >
        <span aria-hidden="true">⇄ </span>
        {t("studio.swap")}
      </button>
      <span className="version-picker-field">
        <label className="field-label" htmlFor={`${id}-to`}>
          {t("studio.to")}
        </label>
        <select id={`${id}-to`} value={value.to} onChange={(e) => onChange({ ...value, to: e.target.value })}>
          {options}
        </select>
      </span>
    </div>
  );
}
