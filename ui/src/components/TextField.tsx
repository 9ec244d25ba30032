/** A labelled input with an optional hint and error, wired up for screen readers. */

import { useId, type InputHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, "onChange" | "value"> {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  /** Shown (and announced) only when set. */
  error?: string | undefined;
  inline?: boolean;
  /** Say "(optional)" after the label. */
  optional?: boolean;
}

export function TextField({ label, value, onChange, hint, error, inline, optional, type = "text", ...input }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const described = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${inline ? " field--inline" : ""}`}>
      <label className="field-label" htmlFor={id}>
        {label}
        {optional ? <span className="required"> {t("field.optional")}</span> : null}
      </label>
      <input
        {...input}
        id={id}
        type={type}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint ? (
        <span id={hintId} className="field-hint muted">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={errorId} className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
