/**
 * A list of short texts edited as tags: type and press Enter (or a comma) to add, × to remove,
 * Backspace in the empty box removes the last one. Suggestions come from a datalist.
 */

import { useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";

interface Props {
  id: string;
  label: string;
  values: readonly string[];
  onChange: (values: string[]) => void;
  suggestions?: readonly string[];
  disabled?: boolean;
}

export function TagInput({ id, label, values, onChange, suggestions, disabled }: Props) {
  const { t } = useTranslation("approvals");
  const [text, setText] = useState("");

  const add = () => {
    const parts = text
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part && !values.includes(part));
    if (parts.length > 0) onChange([...values, ...new Set(parts)]);
    setText("");
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      add();
    } else if (event.key === "Backspace" && text === "" && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  };

  return (
    <div className="field tag-input">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {values.length > 0 ? (
        <ul className="tag-input-tags" aria-label={label}>
          {values.map((value) => (
            <li key={value} className="tag">
              {value}
              <button
                type="button"
                className="tag-input-remove"
                disabled={disabled}
                aria-label={t("builder.removeTag", { value })}
                onClick={() => onChange(values.filter((other) => other !== value))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <input
        id={id}
        type="text"
        value={text}
        disabled={disabled}
        placeholder={t("builder.tagPlaceholder")}
        list={suggestions ? `${id}-suggestions` : undefined}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        onBlur={add}
      />
      {suggestions ? (
        <datalist id={`${id}-suggestions`}>
          {suggestions.map((suggestion) => (
            <option key={suggestion} value={suggestion} />
          ))}
        </datalist>
      ) : null}
    </div>
  );
}
