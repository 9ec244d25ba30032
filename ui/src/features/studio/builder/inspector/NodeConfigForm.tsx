/**
 * A node's config as a form generated from its type's config schema (the shared SchemaForm: rjsf
 * and ajv8), validated as the person types, with the builder's validation problems under the
 * fields they name. The form keeps what the person typed, even a box emptied to mean "the
 * default"; a config changed from outside (undo, another node) replaces it.
 */

import type { RJSFSchema } from "@rjsf/utils";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { SchemaForm } from "../../../../components/SchemaForm";
import type { BuilderProblem } from "../definition";
import { configFromForm, displaySchema, formDataFor, placeProblems, sameConfig } from "./configForm";
import { ExpressionHelp } from "./ExpressionHelp";
import { InspectorContext } from "./InspectorContext";
import { ProblemList } from "./ProblemList";
import { USES_EXPRESSIONS, USES_TEMPLATES, configUiSchema } from "./nodeUiSchema";

type Json = Record<string, unknown>;

interface Props {
  /** Tells the form's fields apart from another node's (ids). */
  nodeName: string;
  typeName: string;
  configSchema: Json;
  defaults: Json;
  config: Json;
  stateKeys: readonly string[];
  /** Problems relative to the node (those under `/config` are placed here). */
  problems: readonly BuilderProblem[];
  readOnly: boolean;
  onChange: (config: Json) => void;
}

export function NodeConfigForm({
  nodeName,
  typeName,
  configSchema,
  defaults,
  config,
  stateKeys,
  problems,
  readOnly,
  onChange,
}: Props) {
  const { t, i18n } = useTranslation("nodeConfig");
  const { t: tForm } = useTranslation("schemaForm");
  const has = (key: string) => i18n.exists(key, { ns: "nodeConfig" });
  // A type the catalog knows has every word translated: its schema's English notes stay out.
  const known = has(`types.${typeName}.name`);
  const schema = useMemo(() => displaySchema(configSchema as RJSFSchema, known), [configSchema, known]);
  const [data, setData] = useState(() => formDataFor(config, defaults));
  const [shown, setShown] = useState({ nodeName, config });
  if (shown.nodeName !== nodeName || !sameConfig(shown.config, config)) {
    // Another node, or changed from outside (undo): start again from the node's config.
    setShown({ nodeName, config });
    setData(formDataFor(config, defaults));
  }
  const uiSchema = configUiSchema(typeName, schema, defaults, data, t, has);
  const placed = useMemo(
    () => placeProblems(problems, "/config", schema, tForm("errors.required")),
    [problems, schema, tForm],
  );
  const inspector = useMemo(() => ({ stateKeys, formData: data }), [stateKeys, data]);
  const configProblems = placed.other.filter(
    (problem) => problem.path === "/config" || problem.path.startsWith("/config/"),
  );
  return (
    <InspectorContext.Provider value={inspector}>
      {USES_EXPRESSIONS.has(typeName) || USES_TEMPLATES.has(typeName) ? (
        <ExpressionHelp expressions={USES_EXPRESSIONS.has(typeName)} templates={USES_TEMPLATES.has(typeName)} />
      ) : null}
      <ProblemList label={t("problems.config")} problems={configProblems} />
      <SchemaForm<Json>
        className="inspector-config"
        idPrefix={`node-${nodeName}`}
        schema={schema}
        uiSchema={uiSchema}
        formData={data}
        extraErrors={placed.errorSchema}
        liveValidate
        noSubmit
        disabled={readOnly}
        onChange={(next) => {
          setData(next);
          const nextConfig = configFromForm(next, config, defaults);
          if (sameConfig(nextConfig, config)) return; // rjsf reports changes that change nothing
          setShown({ nodeName, config: nextConfig });
          onChange(nextConfig);
        }}
        onSubmit={() => undefined}
      />
    </InspectorContext.Provider>
  );
}
