/** The end of a form that sends one mutation: what went wrong, what was done, and the submit button. */

import { ProblemMessage } from "./ProblemMessage";

interface Props {
  /** The mutation the form sends: its failure is shown, and the button waits while it runs. */
  mutation: { error: unknown; isPending: boolean };
  /** Translated context of a failure, e.g. "Could not add the user". */
  errorContext: string;
  /** The success notice (announced); nothing is shown while it is unset. */
  done?: string | null | undefined;
  submitLabel: string;
  pendingLabel: string;
  /** The form is not ready to send (the button is also disabled while the mutation runs). */
  disabled?: boolean;
}

export function FormFooter({ mutation, errorContext, done, submitLabel, pendingLabel, disabled }: Props) {
  return (
    <>
      <ProblemMessage error={mutation.error} context={errorContext} />
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      <button type="submit" className="button button--primary" disabled={disabled || mutation.isPending}>
        {mutation.isPending ? pendingLabel : submitLabel}
      </button>
    </>
  );
}
