/**
 * A labelled number input of the inspector's own fields (deadlines, quorums, priorities):
 * an empty box means "not set" (undefined), anything else the number typed.
 */

import type { ReactNode } from "react";

type Props = {
  id: string;
  label: string;
  value: number | null | undefined;
  disabled?: boolean;
  onChange: (value: number | undefined) => void;
  min?: number;
  max?: number;
  step?: number;
  placeholder?: string;
  /** Shown under the input (e.g. its validation problems). */
  children?: ReactNode;
};

export function NumberField({ id, label, value, disabled, onChange, min, max, step, placeholder, children }: Props) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type="number"
        min={min}
        max={max}
        step={step}
        value={value ?? ""}
        placeholder={placeholder}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value.trim() === "" ? undefined : Number(event.target.value))}
      />
      {children}
    </div>
  );
}
