/**
 * A select over any values (strings, null…): options are told apart by their position, so null
 * and a string can both be choices. The current value is always shown, even when it is not one of
 * the choices (it is added, labelled by `unknownLabel`).
 */

import { deepEquals } from "@rjsf/utils";

export interface Choice {
  value: unknown;
  label: string;
}

interface Props {
  id: string;
  value: unknown;
  choices: readonly Choice[];
  onChange: (value: unknown) => void;
  disabled?: boolean;
  /** Label for a current value that is not among the choices. */
  unknownLabel: (value: unknown) => string;
  /** Shown when the value is undefined (nothing chosen yet). */
  placeholder?: string;
  describedBy?: string;
  invalid?: boolean;
}

export function ChoiceSelect({ id, value, choices, onChange, disabled, unknownLabel, placeholder, ...aria }: Props) {
  const known = value === undefined || choices.some((choice) => deepEquals(choice.value, value));
  const all = known ? choices : [...choices, { value, label: unknownLabel(value) }];
  const selected = all.findIndex((choice) => deepEquals(choice.value, value));
  return (
    <select
      id={id}
      value={selected < 0 ? "" : String(selected)}
      disabled={disabled}
      aria-describedby={aria.describedBy}
      aria-invalid={aria.invalid || undefined}
      onChange={(event) => {
        const index = Number(event.target.value);
        onChange(event.target.value === "" ? undefined : all[index]?.value);
      }}
    >
      {selected < 0 ? <option value="">{placeholder}</option> : null}
      {all.map((choice, index) => (
        <option key={index} value={String(index)}>
          {choice.label}
        </option>
      ))}
    </select>
  );
}
