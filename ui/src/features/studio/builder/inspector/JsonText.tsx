/**
 * A JSON value edited as text. The text is the person's while it does not parse (with the reason
 * shown); each text that parses is passed on. A value changed from outside replaces the text.
 */

import { deepEquals } from "@rjsf/utils";
import { useState } from "react";
import { useTranslation } from "react-i18next";

interface Props {
  id: string;
  value: unknown;
  /** A parsed value, or undefined for an empty text. */
  onChange: (value: unknown) => void;
  /** Whether a parsed value is acceptable; return a translated reason to refuse it. */
  check?: (value: unknown) => string | null;
  disabled?: boolean;
  rows?: number;
  placeholder?: string;
  describedBy?: string;
  /** Errors from elsewhere (validation) about this value. */
  invalid?: boolean;
  /** Label for screen readers when there is no `<label for>`. */
  ariaLabel?: string;
}

/** Null shows as an empty text: every JSON field here reads null as "not set". */
const toText = (value: unknown) => (value === undefined || value === null ? "" : JSON.stringify(value, null, 2));

export function JsonText({
  id,
  value,
  onChange,
  check,
  disabled,
  rows = 4,
  placeholder,
  describedBy,
  invalid,
  ariaLabel,
}: Props) {
  const { t } = useTranslation("nodeConfig");
  const [text, setText] = useState(() => toText(value));
  const [shown, setShown] = useState<unknown>(value);
  const [error, setError] = useState<string | null>(null);
  if (!deepEquals(shown, value)) {
    // Changed from outside (undo, another field): show the new value.
    setShown(value);
    setText(toText(value));
    setError(null);
  }
  const errorId = `${id}-json-error`;
  return (
    <>
      <textarea
        id={id}
        className="json-editor"
        rows={rows}
        value={text}
        disabled={disabled}
        placeholder={placeholder}
        spellCheck={false}
        aria-label={ariaLabel}
        aria-invalid={error || invalid ? true : undefined}
        aria-describedby={[describedBy, error ? errorId : null].filter(Boolean).join(" ") || undefined}
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          if (!next.trim()) {
            setError(null);
            setShown(undefined);
            onChange(undefined);
            return;
          }
          let parsed: unknown;
          try {
            parsed = JSON.parse(next);
          } catch (problem) {
            setError(t("json.invalid", { reason: (problem as Error).message }));
            return;
          }
          const refused = check?.(parsed) ?? null;
          setError(refused);
          if (refused) return;
          setShown(parsed);
          onChange(parsed);
        }}
      />
      {error ? (
        <span id={errorId} className="field-error">
          {error}
        </span>
      ) : null}
    </>
  );
}

/** `check` for JSON that must be an object. */
export const mustBeObject =
  (message: string) =>
  (value: unknown): string | null =>
    typeof value === "object" && value !== null && !Array.isArray(value) ? null : message;
