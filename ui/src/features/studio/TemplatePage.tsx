/** One template: its description, category, parameters and graph, and "use this template". */

import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useNodeTypes, useTemplate } from "./api";
import { GraphPreview } from "../../run/graph/GraphPreview";
import { parametersOf } from "./parameters";
import { studioHref } from "./paths";
import { templateGraph } from "./templateGraph";
import { UseTemplateForm } from "./UseTemplateForm";
import "./studio.css";

export function TemplatePage({ templateId }: { templateId: string }) {
  const { t } = useTranslation("studio");
  const template = useTemplate(templateId);
  const nodeTypes = useNodeTypes();
  const [using, setUsing] = useState(false);
  const detail = template.data;
  const graph = useMemo(() => {
    if (!detail) return null;
    const executions = new Map((nodeTypes.data ?? []).map((n) => [n.type_name, n.execution] as const));
    return templateGraph(detail, executions);
  }, [detail, nodeTypes.data]);
  const parameters = useMemo(() => parametersOf(detail?.parameter_schema), [detail]);
  const name = detail ? t(`templateNames.${detail.name}`, { defaultValue: detail.display_name }) : "";

  return (
    <section className="page template-page" aria-labelledby="template-title">
      <p className="breadcrumb">
        <Link to={studioHref.templates()}>{t("template.back")}</Link>
      </p>
      <ProblemMessage
        error={template.error}
        context={t("template.loadError")}
        onRetry={() => void template.refetch()}
      />
      {template.isPending ? <p role="status">{t("loading")}</p> : null}
      {detail && graph ? (
        <>
          <h1 id="template-title">{name}</h1>
          <p>
            <code>{detail.name}</code>{" "}
            <span className="badge">
              {t(`templateCategories.${detail.category}`, { defaultValue: detail.category })}
            </span>{" "}
            <span className="badge badge--muted">{t("template.version", { version: detail.version })}</span>
          </p>
          {detail.description ? <p lang="en">{detail.description}</p> : null}
          <div className="template-layout">
            <section aria-labelledby="template-graph-title">
              <h2 id="template-graph-title">{t("template.graph")}</h2>
              <GraphPreview graph={graph} label={t("template.canvas", { name })} />
            </section>
            <section aria-labelledby="template-parameters-title">
              <h2 id="template-parameters-title">{t("template.parameters")}</h2>
              {parameters.length === 0 ? <p className="muted">{t("template.noParameters")}</p> : null}
              <ul className="parameter-list">
                {parameters.map((parameter) => (
                  <li key={parameter.name}>
                    <code>{parameter.name}</code>{" "}
                    {parameter.types.length ? <span className="muted">{parameter.types.join(" | ")}</span> : null}
                    {parameter.required ? <span className="badge">{t("template.required")}</span> : null}
                    {parameter.description ? <p lang="en">{parameter.description}</p> : null}
                    {parameter.defaultText ? (
                      <p className="muted">{t("template.default", { value: parameter.defaultText })}</p>
                    ) : null}
                  </li>
                ))}
              </ul>
              {using ? null : (
                <button type="button" className="button button--primary" onClick={() => setUsing(true)}>
                  {t("template.use")}
                </button>
              )}
            </section>
          </div>
          {using ? <UseTemplateForm template={detail} /> : null}
        </>
      ) : null}
    </section>
  );
}
