/**
 * The words of a JSON-Schema form in the person's language: rjsf's own labels and buttons
 * (`translateString`) and the validator's messages (`transformErrors`), from the `schemaForm`
 * catalog. ajv-i18n is not installed, so each common keyword gets its message here from ajv's
 * `params`; a keyword the catalog does not know keeps ajv's English text.
 */

import { TranslatableString, englishStringTranslator, type RJSFValidationError } from "@rjsf/utils";
import type { TFunction } from "i18next";

/** rjsf's string enum read backwards: "Add Item" → "AddItemButton", the catalog key under `rjsf.`. */
const RJSF_KEYS = new Map<string, string>(Object.entries(TranslatableString).map(([key, text]) => [text, key]));

/**
 * rjsf's `translateString` for `t`; `%1`, `%2`… become `{{p1}}`, `{{p2}}`…. Keys name their namespace
 * (`schemaForm:`) so any `t` of the current language will do.
 */
export function schemaFormTranslator(t: TFunction): (text: TranslatableString, params?: string[]) => string {
  return (text, params = []) => {
    const key = RJSF_KEYS.get(text);
    const values = Object.fromEntries(params.map((value, index) => [`p${index + 1}`, value]));
    return key ? t(`schemaForm:rjsf.${key}`, { ...values, defaultValue: englishStringTranslator(text, params) }) : text;
  };
}

const TYPE_KEYS = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);

/** The message for one ajv error, or null to keep ajv's own. */
function messageFor(t: TFunction, error: RJSFValidationError): string | null {
  const params = (error.params ?? {}) as Record<string, unknown>;
  const limit = params.limit;
  switch (error.name) {
    case "required":
      return t("schemaForm:errors.required");
    case "type": {
      const wanted = String(params.type ?? "")
        .split(",")
        .map((name) => name.trim())
        .filter((name) => TYPE_KEYS.has(name) && name !== "null");
      return wanted[0] ? t("schemaForm:errors.type", { type: t(`schemaForm:types.${wanted[0]}`) }) : null;
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
    case "multipleOf":
      return t(`schemaForm:errors.${error.name}`, { limit: String(limit ?? params.multipleOf ?? "") });
    case "minLength":
    case "maxLength":
    case "minItems":
    case "maxItems":
    case "minProperties":
    case "maxProperties":
      return t(`schemaForm:errors.${error.name}`, { count: Number(limit) });
    case "pattern":
      return t("schemaForm:errors.pattern", { pattern: String(params.pattern ?? "") });
    case "enum":
      return t("schemaForm:errors.enum");
    case "const":
      return t("schemaForm:errors.const", { value: JSON.stringify(params.allowedValue) });
    case "format": {
      const format = String(params.format ?? "");
      return t("schemaForm:errors.format", { format: t(`schemaForm:formats.${format}`, { defaultValue: format }) });
    }
    case "uniqueItems":
      return t("schemaForm:errors.uniqueItems");
    case "additionalProperties":
      return t("schemaForm:errors.additionalProperties", { name: String(params.additionalProperty ?? "") });
    case "oneOf":
    case "anyOf":
      return t("schemaForm:errors.oneOf");
    default:
      return null;
  }
}

/**
 * rjsf's `transformErrors` for `t`: each error's message (shown under its field) and stack
 * (shown in lists, prefixed by the field's title or path) in the person's language.
 */
export function schemaFormErrorTransformer(t: TFunction): (errors: RJSFValidationError[]) => RJSFValidationError[] {
  return (errors) =>
    errors.map((error) => {
      const message = messageFor(t, error);
      if (message === null) return error;
      const where = error.title || (error.property ?? "").replace(/^\./, "");
      return { ...error, message, stack: where ? t("schemaForm:errors.stack", { field: where, message }) : message };
    });
}
