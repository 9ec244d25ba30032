/**
 * The label, description and nested errors of a custom rjsf field. rjsf's field template shows no
 * label for an object field and only the field's own errors, so a field that draws an object
 * itself draws these too.
 */

import { descriptionId, getUiOptions, type ErrorSchema, type FieldProps } from "@rjsf/utils";
import type { ReactNode } from "react";

interface Props {
  id: string;
  label: string;
  description?: string;
  /** Labels a single control (`htmlFor`); a group of controls is named by the frame's legend instead. */
  controlId?: string;
  children: ReactNode;
}

export function FieldFrame({ id, label, description, controlId, children }: Props) {
  const heading = controlId ? (
    <label className="field-label" htmlFor={controlId}>
      {label}
    </label>
  ) : (
    <legend className="field-label schema-form-legend">{label}</legend>
  );
  const body = (
    <>
      {heading}
      {description ? (
        <span id={descriptionId(id)} className="muted field-hint">
          {description}
        </span>
      ) : null}
      {children}
    </>
  );
  return controlId ? (
    <div className="inspector-frame">{body}</div>
  ) : (
    <fieldset className="inspector-frame">{body}</fieldset>
  );
}

/** The label and description rjsf would show for a field: the uiSchema's, else the schema's, else its name. */
export function fieldText(props: Pick<FieldProps, "schema" | "uiSchema" | "name">): {
  label: string;
  description?: string;
} {
  const options = getUiOptions(props.uiSchema);
  const label = String(options.title ?? props.schema.title ?? props.name);
  const description = options.description ?? props.schema.description;
  return { label, description: typeof description === "string" ? description : undefined };
}

/** The messages below a field's own (its children's, all the way down): rjsf shows only its own. */
export const nestedErrors = (errorSchema: ErrorSchema | undefined): string[] =>
  Object.entries(errorSchema ?? {})
    .filter(([key]) => key !== "__errors")
    .flatMap(([, child]) => allErrors(child as ErrorSchema));

/** Every message in an error tree (the field's and its children's). */
export function allErrors(errorSchema: ErrorSchema | undefined): string[] {
  if (!errorSchema) return [];
  const own = (errorSchema as { __errors?: string[] }).__errors ?? [];
  const nested = Object.entries(errorSchema)
    .filter(([key]) => key !== "__errors")
    .flatMap(([, child]) => allErrors(child as ErrorSchema));
  return [...own, ...nested];
}

/** The messages of an error tree's branch `key`, all the way down. */
export const errorsUnder = (errorSchema: ErrorSchema | undefined, key: string): string[] =>
  allErrors((errorSchema as Record<string, ErrorSchema> | undefined)?.[key]);

export function FieldErrors({ id, messages }: { id: string; messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <div id={id} className="field-error">
      {messages.map((message, index) => (
        <span key={index} className="field-error-item">
          {message}
        </span>
      ))}
    </div>
  );
}
