/**
 * How a JSON-Schema form looks: rjsf's templates and buttons redrawn with the app's own form classes
 * (`field`, `field-label`, `field-hint`, `field-error`, `button`) instead of rjsf's Bootstrap markup,
 * with text buttons instead of Bootstrap's icon fonts.
 */

import { getDefaultRegistry, type FormProps } from "@rjsf/core";
import {
  ADDITIONAL_PROPERTY_FLAG,
  TranslatableString,
  errorId,
  getTemplate,
  getUiOptions,
  helpId,
  type ArrayFieldItemTemplateProps,
  type DescriptionFieldProps,
  type FieldErrorProps,
  type FieldHelpProps,
  type FieldTemplateProps,
  type IconButtonProps,
  type TitleFieldProps,
  type WidgetProps,
  type WrapIfAdditionalTemplateProps,
} from "@rjsf/utils";
import type { ComponentType } from "react";
import { useTranslation } from "react-i18next";

type Templates = NonNullable<FormProps["templates"]>;

/** "(required)" after a label (spaced by CSS); a `legend` or `label` reads it with the name. */
function RequiredMark({ required }: { required?: boolean }) {
  const { t } = useTranslation("schemaForm");
  return required ? <span className="required">{t("required")}</span> : null;
}

/** One field: label, description, control, its errors and help, in the app's `field` layout. */
function FieldTemplate(props: FieldTemplateProps) {
  const { id, label, children, errors, help, description, hidden, required, displayLabel, registry, uiSchema } = props;
  const options = getUiOptions(uiSchema);
  const Wrap = getTemplate("WrapIfAdditionalTemplate", registry, options);
  if (hidden) return <div hidden>{children}</div>;
  if (displayLabel && label && options.widget === "radio") {
    // A group of radios is named by a legend (a label can only name one control).
    return (
      <Wrap {...props}>
        <fieldset className="schema-form-choice">
          <legend className="field-label">
            {label}
            <RequiredMark required={required} />
          </legend>
          {description}
          {children}
          {errors}
          {help}
        </fieldset>
      </Wrap>
    );
  }
  const labelled = displayLabel && options.widget !== "checkbox" && label;
  return (
    <Wrap {...props}>
      {labelled ? (
        <label className="field-label" htmlFor={id}>
          {label}
          <RequiredMark required={required} />
        </label>
      ) : null}
      {displayLabel && description ? description : null}
      {children}
      {errors}
      {help}
    </Wrap>
  );
}

/** The field's box; a key chosen by the person (additionalProperties) gets a key input and a remove button. */
function WrapIfAdditionalTemplate(props: WrapIfAdditionalTemplateProps) {
  const { id, classNames, style, children, disabled, readonly, label, schema, uiSchema, registry } = props;
  const { hideError, rawErrors, onKeyRenameBlur, onRemoveProperty } = props;
  const invalid = !hideError && (rawErrors?.length ?? 0) > 0;
  const className = ["field", classNames, invalid ? "field--invalid" : null].filter(Boolean).join(" ");
  if (!(ADDITIONAL_PROPERTY_FLAG in schema)) {
    return (
      <div className={className} style={style}>
        {children}
      </div>
    );
  }
  const { RemoveButton } = registry.templates.ButtonTemplates;
  const keyLabel = registry.translateString(TranslatableString.KeyLabel, [label]);
  return (
    <div className={`${className} schema-form-additional`} style={style}>
      <label className="field">
        <span className="field-label">{keyLabel}</span>
        <input
          type="text"
          id={`${id}-key`}
          defaultValue={label}
          onBlur={onKeyRenameBlur}
          disabled={disabled || readonly}
        />
      </label>
      <div className="schema-form-additional-value">{children}</div>
      <RemoveButton
        id={`${id}-remove`}
        className="rjsf-object-property-remove"
        disabled={disabled || readonly}
        onClick={onRemoveProperty}
        uiSchema={uiSchema}
        registry={registry}
      />
    </div>
  );
}

/** A field's errors, under the control and named by its `aria-describedby`. */
function FieldErrorTemplate({ errors = [], fieldPathId }: FieldErrorProps) {
  const shown = errors.filter(Boolean);
  if (shown.length === 0) return null;
  return (
    <div id={errorId(fieldPathId)} className="field-error">
      {shown.map((error, index) => (
        <span key={index} className="field-error-item">
          {error}
        </span>
      ))}
    </div>
  );
}

function FieldHelpTemplate({ help, fieldPathId }: FieldHelpProps) {
  if (!help) return null;
  return (
    <span id={helpId(fieldPathId)} className="muted field-hint">
      {help}
    </span>
  );
}

function DescriptionFieldTemplate({ id, description }: DescriptionFieldProps) {
  if (!description) return null;
  return (
    <span id={id} className="muted field-hint">
      {description}
    </span>
  );
}

/** The title of an object or a list: the legend of its fieldset. */
function TitleFieldTemplate({ id, title, required, optionalDataControl }: TitleFieldProps) {
  return (
    <legend id={id} className="field-label schema-form-legend">
      {title}
      <RequiredMark required={required} />
      {optionalDataControl ? <span className="schema-form-optional">{optionalDataControl}</span> : null}
    </legend>
  );
}

/** One entry of a list, with its move/copy/remove buttons beside it. */
function ArrayFieldItemTemplate(props: ArrayFieldItemTemplateProps) {
  const { children, className, buttonsProps, hasToolbar, registry, uiSchema } = props;
  const Buttons = getTemplate("ArrayFieldItemButtonsTemplate", registry, getUiOptions(uiSchema));
  return (
    <div className={`schema-form-item ${className}`}>
      <div className="schema-form-item-body">{children}</div>
      {hasToolbar ? (
        <div className="schema-form-item-tools">
          <Buttons {...buttonsProps} />
        </div>
      ) : null}
    </div>
  );
}

/** A small text button carrying rjsf's translated label; `symbol` stands in for the label where space is short. */
function textButton(label: TranslatableString, symbol?: string) {
  return function TextButton(props: IconButtonProps) {
    const { registry, uiSchema: _uiSchema, iconType: _iconType, icon: _icon, className, ...rest } = props;
    const text = registry.translateString(label);
    return (
      <button
        type="button"
        {...rest}
        className={`button button--small button--ghost ${className ?? ""}`}
        title={text}
        aria-label={symbol ? text : undefined}
      >
        {symbol ?? text}
      </button>
    );
  };
}

/** "Add item" under a list, "Add" under an object that takes keys of the person's choosing. */
function AddButton(props: IconButtonProps) {
  const { registry, uiSchema: _uiSchema, iconType: _iconType, icon: _icon, className, ...rest } = props;
  const list = className?.includes("rjsf-array-item-add");
  const text = registry.translateString(list ? TranslatableString.AddItemButton : TranslatableString.AddButton);
  return (
    <div className="schema-form-add">
      <button type="button" {...rest} className={`button button--small ${className ?? ""}`}>
        + {text}
      </button>
    </div>
  );
}

/** The templates every schema form uses. */
export const SCHEMA_FORM_TEMPLATES: Templates = {
  FieldTemplate,
  WrapIfAdditionalTemplate,
  FieldErrorTemplate,
  FieldHelpTemplate,
  DescriptionFieldTemplate,
  TitleFieldTemplate,
  ArrayFieldItemTemplate,
  ButtonTemplates: {
    AddButton,
    RemoveButton: textButton(TranslatableString.RemoveButton),
    CopyButton: textButton(TranslatableString.CopyButton),
    MoveUpButton: textButton(TranslatableString.MoveUpButton, "↑"),
    MoveDownButton: textButton(TranslatableString.MoveDownButton, "↓"),
    ClearButton: textButton(TranslatableString.ClearButton, "×"),
  },
};

const DefaultSelect = getDefaultRegistry().widgets.SelectWidget as ComponentType<WidgetProps>;

/** rjsf's select with "Choose…" as its empty option. */
function SelectWidget(props: WidgetProps) {
  const { t } = useTranslation("schemaForm");
  return <DefaultSelect {...props} placeholder={props.placeholder || t("choose")} />;
}

/** The widgets every schema form uses (rjsf's own, where not listed). */
export const SCHEMA_FORM_WIDGETS: NonNullable<FormProps["widgets"]> = { SelectWidget };
