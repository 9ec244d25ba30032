/**
 * Several things picked from a list with checkboxes (tools, knowledge bases, state keys). Picked
 * values the list does not offer (a tool since removed from the registry…) stay shown and checked,
 * marked, so they can be seen and unpicked.
 */

import { ariaDescribedByIds } from "@rjsf/utils";

export interface PickOption {
  value: string;
  label: string;
  hint?: string | null;
}

interface Props {
  id: string;
  /** Names the group for screen readers (the field's label is not a `<label>` for a group). */
  label: string;
  options: readonly PickOption[];
  picked: readonly string[];
  onChange: (picked: string[]) => void;
  disabled?: boolean;
  unknownLabel: (value: string) => string;
  /** Shown when there is nothing to pick from. */
  empty: string;
}

export function PickList({ id, label, options, picked, onChange, disabled, unknownLabel, empty }: Props) {
  const offered = new Set(options.map((option) => option.value));
  const all: PickOption[] = [
    ...options,
    ...picked.filter((value) => !offered.has(value)).map((value) => ({ value, label: unknownLabel(value) })),
  ];
  const toggle = (value: string, on: boolean) =>
    // Keep the person's order; a newly picked value goes last.
    onChange(on ? [...picked, value] : picked.filter((item) => item !== value));
  if (all.length === 0) return <p className="muted field-hint">{empty}</p>;
  return (
    <div id={id} role="group" aria-label={label} aria-describedby={ariaDescribedByIds(id)} className="pick-list">
      {all.map((option, index) => (
        <label key={option.value} className="pick-option" htmlFor={`${id}-${index}`}>
          <input
            id={`${id}-${index}`}
            type="checkbox"
            checked={picked.includes(option.value)}
            disabled={disabled}
            onChange={(event) => toggle(option.value, event.target.checked)}
          />
          <span className="pick-option-text">
            <span className="pick-option-label">{option.label}</span>
            {option.hint ? <span className="muted pick-option-hint">{option.hint}</span> : null}
          </span>
        </label>
      ))}
    </div>
  );
}
