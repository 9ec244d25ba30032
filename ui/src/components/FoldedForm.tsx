/** A form folded away under its title (add a user, a key, a server); the title also names the form. */

import type { FormEvent, ReactNode } from "react";

interface Props {
  title: string;
  onSubmit: (event: FormEvent) => void;
  /** The form checks its fields itself and shows its own messages. */
  noValidate?: boolean;
  children: ReactNode;
}

export function FoldedForm({ title, onSubmit, noValidate, children }: Props) {
  return (
    <details className="new-key">
      <summary>{title}</summary>
      <form onSubmit={onSubmit} className="new-key-form" aria-label={title} noValidate={noValidate}>
        {children}
      </form>
    </details>
  );
}
