/** Where a category goes: the top level, or under another category (indented as in the tree). */

import { useId } from "react";
import { useTranslation } from "react-i18next";
import { parentChoices, type Category } from "./categories";

interface Props {
  label: string;
  tree: readonly Category[];
  /** The parent's id; null: the top level. */
  value: string | null;
  onChange: (parent: string | null) => void;
  /** The category being moved: neither it nor its sub-categories are offered. */
  moving?: string;
  disabled?: boolean;
  /** Label beside the field (a form), or hidden (a row of the tree). */
  inline?: boolean;
}

export function ParentSelect({ label, tree, value, onChange, moving, disabled, inline }: Props) {
  const { t } = useTranslation("admin");
  const id = useId();
  const select = (
    <select id={id} value={value ?? ""} disabled={disabled} onChange={(e) => onChange(e.target.value || null)}>
      <option value="">{t("categories.topLevel")}</option>
      {parentChoices(tree, moving).map((choice) => (
        <option key={choice.id} value={choice.id}>
          {/* Non-breaking spaces: a select's options keep no other indentation. */}
          {"\u00a0\u00a0".repeat(choice.depth + 1)}
          {choice.name}
        </option>
      ))}
    </select>
  );
  if (inline) {
    return (
      <div className="field field--inline">
        <label htmlFor={id} className="field-label">
          {label}
        </label>
        {select}
      </div>
    );
  }
  return (
    <span className="category-parent">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      {/* Said in full by the hidden label; seen, a short word says what the choice is. */}
      <span className="muted" aria-hidden="true">
        {t("categories.under")}
      </span>
      {select}
    </span>
  );
}
