/**
 * A form generated from a JSON Schema: rjsf with the ajv8 validator, the app's look, and every
 * word in the person's language. Used for human-task answers, node configs and template
 * parameters. The data is controlled by the caller; the form validates before `onSubmit` (and
 * live after a first failed try), and shows server errors placed by `placeServerErrors` under
 * their fields through `extraErrors`.
 */

import Form from "@rjsf/core";
import {
  getDefaultFormState,
  isPlainObject,
  type ErrorSchema,
  type Experimental_DefaultFormStateBehavior,
  type RJSFSchema,
  type RJSFValidationError,
  type UiSchema,
} from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import type { TFunction } from "i18next";
import { useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { schemaFormErrorTransformer, schemaFormTranslator } from "./schemaFormText";
import { SCHEMA_FORM_TEMPLATES, SCHEMA_FORM_WIDGETS } from "./schemaFormTemplates";

export type SchemaFormData = Record<string, unknown>;

interface Props<T extends SchemaFormData> {
  schema: RJSFSchema;
  uiSchema?: UiSchema<T>;
  formData: T;
  onChange: (data: T) => void;
  /** Called with valid data only. */
  onSubmit: (data: T) => void;
  /** Messages from the server by field (rjsf's `ErrorSchema`); they do not block sending again. */
  extraErrors?: ErrorSchema<T>;
  disabled?: boolean;
  /** Text of the submit button (default: "Submit"). */
  submitLabel?: string;
  /** Edited live with no submit button (e.g. a node's config in the builder); `onSubmit` is then unused. */
  noSubmit?: boolean;
  /** More controls beside the submit button. */
  actions?: ReactNode;
  /** Fields of the caller's own below the schema's (not part of the data), e.g. a note. */
  extraFields?: ReactNode;
  /** Validate on every change from the start, not only after a first submit. */
  liveValidate?: boolean;
  /** A required yes/no starts unanswered and must be chosen (rjsf's default starts it as "no"). */
  requireBooleanChoice?: boolean;
  /** Prefix of the fields' ids, to keep two forms on one page apart. */
  idPrefix?: string;
  className?: string;
}

export function SchemaForm<T extends SchemaFormData>({
  schema,
  uiSchema,
  formData,
  onChange,
  onSubmit,
  extraErrors,
  disabled,
  submitLabel,
  noSubmit,
  actions,
  extraFields,
  liveValidate,
  requireBooleanChoice,
  idPrefix,
  className,
}: Props<T>) {
  const { t, i18n } = useTranslation("schemaForm");
  const translateString = useMemo(() => schemaFormTranslator(t), [t]);
  const transformErrors = useMemo(() => schemaFormErrorTransformer(t), [t]);
  // After a refused submit, errors follow the person's edits instead of waiting for the next try.
  const [tried, setTried] = useState(false);
  return (
    <Form<T>
      // rjsf compares function props as equal, so a new language needs a new form (the data is ours).
      key={i18n.language}
      className={["schema-form", className].filter(Boolean).join(" ")}
      schema={schema}
      uiSchema={uiSchema}
      formData={formData}
      validator={validator}
      templates={SCHEMA_FORM_TEMPLATES}
      widgets={SCHEMA_FORM_WIDGETS}
      translateString={translateString}
      transformErrors={transformErrors}
      extraErrors={extraErrors}
      liveValidate={liveValidate || tried ? "onChange" : false}
      showErrorList={false}
      noHtml5Validate
      focusOnFirstError
      experimental_defaultFormStateBehavior={defaultsBehavior(requireBooleanChoice)}
      disabled={disabled}
      idPrefix={idPrefix}
      onChange={(event) => onChange(event.formData as T)}
      onError={() => setTried(true)}
      onSubmit={(event) => onSubmit(event.formData as T)}
    >
      {extraFields}
      {noSubmit ? (
        // rjsf draws its own submit button when given no children.
        <></>
      ) : (
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={disabled}>
            {submitLabel ?? t("submit")}
          </button>
          {actions}
        </div>
      )}
    </Form>
  );
}

const defaultsBehavior = (requireBooleanChoice?: boolean): Experimental_DefaultFormStateBehavior =>
  requireBooleanChoice ? { requiredBooleanDefault: "skip" } : {};

/**
 * The data a new form starts from: the schema's defaults filled in. A caller that starts its state
 * from this spares rjsf reporting a change while it first renders.
 */
export function schemaFormDefaults<T extends SchemaFormData>(
  schema: RJSFSchema,
  data: Partial<T> = {},
  options: { requireBooleanChoice?: boolean } = {},
): T {
  const filled = getDefaultFormState(
    validator,
    schema,
    data,
    schema,
    false,
    defaultsBehavior(options.requireBooleanChoice),
  );
  return (isPlainObject(filled) ? filled : {}) as T;
}

/**
 * The errors of `data` against `schema`, in `t`'s language, fields named by `uiSchema`'s titles
 * (for data edited outside the form, e.g. as JSON).
 */
export function validateAgainstSchema(
  schema: RJSFSchema,
  data: unknown,
  t: TFunction,
  uiSchema?: UiSchema,
): RJSFValidationError[] {
  return validator.validateFormData(data, schema, undefined, schemaFormErrorTransformer(t), uiSchema).errors;
}
