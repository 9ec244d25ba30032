/**
 * "Use this template": the agent's name and description and a form generated from the template's
 * parameter schema. Sending creates the agent and its first version from the template; a 422's
 * errors land under the fields they name (the parameters', or the name's).
 */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { RJSFSchema } from "@rjsf/utils";
import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { toApiError } from "../../api/problem";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { SchemaForm, schemaFormDefaults, type SchemaFormData } from "../../components/SchemaForm";
import { placeServerErrors } from "../../components/schemaFormErrors";
import { TextField } from "../../components/TextField";
import { createFromTemplate, studioKeys, type TemplateDetail } from "./api";
import { studioHref } from "./paths";

/** Where a 422 points into the version request for the template's parameters. */
const PARAMETER_PATHS = ["/body/template_parameters"];

export function UseTemplateForm({ template }: { template: TemplateDetail }) {
  const { t } = useTranslation("studio");
  const { client } = useServices();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const schema = template.parameter_schema as RJSFSchema;
  const [name, setName] = useState("");
  const [description, setDescription] = useState(template.description ?? "");
  const templateName = t(`templateNames.${template.name}`, { defaultValue: template.display_name });
  const [changelog, setChangelog] = useState(() => t("use.firstChangelog", { template: templateName }));
  const [parameters, setParameters] = useState<SchemaFormData>(() => schemaFormDefaults(schema));
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  // The agent made by a first try whose version was refused: the next try adds the version to it.
  const created = useRef<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      createFromTemplate(
        client,
        { templateId: template.id, name, description, changelog, parameters },
        created.current,
        (agentId) => (created.current = agentId),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: studioKeys.agents }),
    onSuccess: (version) => void navigate(studioHref.agent(version.agent_id)),
  });
  const problem = create.error ? toApiError(create.error) : null;
  const placed = useMemo(
    () =>
      placeServerErrors(problem?.status === 422 ? problem.errors : [], {
        prefixes: PARAMETER_PATHS,
        schema,
        requiredMessage: t("schemaForm:errors.required"),
      }),
    [problem, schema, t],
  );
  const nameProblem = placed.other.find((e) => e.path === "/body/name")?.message;

  const send = () => {
    if (!name.trim()) {
      setNameError(t("use.nameRequired"));
      return;
    }
    setNameError(undefined);
    create.mutate();
  };

  return (
    <section className="use-template" aria-labelledby="use-template-title">
      <h2 id="use-template-title">{t("use.title")}</h2>
      <p className="muted">{t("use.intro")}</p>
      <SchemaForm
        schema={schema}
        formData={parameters}
        onChange={setParameters}
        onSubmit={send}
        extraErrors={placed.errorSchema}
        disabled={create.isPending}
        idPrefix="template-parameters"
        submitLabel={create.isPending ? t("use.creating") : t("use.create")}
        extraFields={
          <fieldset className="use-template-agent">
            <legend>{t("use.agent")}</legend>
            <TextField
              label={t("use.name")}
              value={name}
              onChange={setName}
              maxLength={255}
              required
              error={nameError ?? nameProblem}
              disabled={create.isPending}
            />
            <TextField
              label={t("use.description")}
              value={description}
              onChange={setDescription}
              maxLength={10_000}
              optional
              disabled={create.isPending}
            />
            <TextField
              label={t("use.changelog")}
              value={changelog}
              onChange={setChangelog}
              maxLength={10_000}
              optional
              disabled={create.isPending}
            />
          </fieldset>
        }
      />
      {created.current && problem ? <p className="muted">{t("use.agentKept")}</p> : null}
      <ProblemMessage error={problem} context={t("use.createError")} />
    </section>
  );
}
