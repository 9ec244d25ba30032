/**
 * The state and checks shared by the provider and config forms: the values typed, the form's own
 * problems (shown once a send was tried), the server's 422 placed under the fields it names, and
 * a submit that sends only a form without problems, once at a time.
 */

import { useState, type FormEvent } from "react";
import { placeProblem, type FieldErrors } from "./forms";

interface Options<Form, Field extends string> {
  initial: () => Form;
  /** The fields a 422 may be placed under; the rest of it shows at the foot of the form. */
  fields: readonly Field[];
  /** What is checked and sent: the form as typed, or with the choices the page makes for the person. */
  current?: (form: Form) => Form;
  validate: (form: Form) => FieldErrors;
  /** The mutation being sent (the add or the edit). */
  mutation: { error: unknown; isPending: boolean };
  /** Sends the checked form; `reset(next)` starts it again (unchecked) after an add. */
  send: (form: Form, reset: (next: Form) => void) => void;
}

/** A provider-page form's state: see the module comment. */
export function useEditorForm<Form, Field extends string>({
  initial,
  fields,
  current: currentOf,
  validate,
  mutation,
  send,
}: Options<Form, Field>) {
  const [form, setForm] = useState<Form>(initial);
  const [checked, setChecked] = useState(false);
  const current = currentOf ? currentOf(form) : form;
  const errors = validate(current);
  const placed = placeProblem(mutation.error, fields);
  const errorOf = (field: Field) => (checked ? errors[field] : undefined) ?? placed.fields[field];
  const set =
    <K extends keyof Form>(key: K) =>
    (value: Form[K]) =>
      setForm((f) => ({ ...f, [key]: value }));
  const reset = (next: Form) => {
    setChecked(false);
    setForm(next);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(errors).length > 0 || mutation.isPending) return;
    send(current, reset);
  };

  return { form, current, set, errorOf, rest: placed.rest, submit };
}
