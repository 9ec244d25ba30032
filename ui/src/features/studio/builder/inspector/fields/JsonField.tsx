/**
 * A config value that is free JSON (a JSON Schema for the reply, an output schema, metadata
 * filters): edited as JSON text. rjsf would draw an object with no declared properties as an
 * empty box with an "Add" button.
 */

import { ariaDescribedByIds, type FieldProps } from "@rjsf/utils";
import { useTranslation } from "react-i18next";
import { JsonText, mustBeObject } from "../JsonText";
import { takesNull } from "../widgets/StateKeyWidget";
import { FieldErrors, FieldFrame, fieldText, nestedErrors } from "./FieldFrame";

export function JsonField(props: FieldProps) {
  const { t } = useTranslation("nodeConfig");
  const { fieldPathId, formData, onChange, disabled, readonly, schema, errorSchema, rawErrors } = props;
  const id = fieldPathId.$id;
  const { label, description } = fieldText(props);
  const nullable = takesNull(schema);
  const nested = nestedErrors(errorSchema);
  return (
    <FieldFrame id={id} label={label} description={description} controlId={id}>
      <JsonText
        id={id}
        value={formData}
        rows={5}
        disabled={disabled || readonly}
        placeholder={t("json.placeholder")}
        describedBy={ariaDescribedByIds(id)}
        invalid={(rawErrors?.length ?? 0) + nested.length > 0}
        check={mustBeObject(t("json.object"))}
        // Emptied: null where the field takes it ("none"), else back to the type's default.
        onChange={(value) => onChange(value === undefined && nullable ? null : value, fieldPathId.path)}
      />
      <FieldErrors id={`${id}-nested-errors`} messages={nested} />
    </FieldFrame>
  );
}
