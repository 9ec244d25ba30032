/**
 * The frame of the provider and config forms: the form itself (named by its title), its fields,
 * the footer with the send's outcome and, while editing, a Cancel that closes the editor.
 */

import type { ComponentProps, FormEvent, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { FormFooter } from "../../components/FormFooter";

interface Props {
  title: string;
  onSubmit: (event: FormEvent) => void;
  footer: ComponentProps<typeof FormFooter>;
  /** An existing item is edited: a Cancel button is shown. */
  editing: boolean;
  onCancel?: (() => void) | undefined;
  children: ReactNode;
}

export function EditorForm({ title, onSubmit, footer, editing, onCancel, children }: Props) {
  const { t } = useTranslation("providers");
  return (
    <form className="new-key-form provider-form" aria-label={title} onSubmit={onSubmit} noValidate>
      {children}
      <FormFooter {...footer} />
      {editing ? (
        <button type="button" className="button form-cancel" onClick={onCancel}>
          {t("cancel")}
        </button>
      ) : null}
    </form>
  );
}
