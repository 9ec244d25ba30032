/** The templates gallery: every template with its description, category and how often it was used. */

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ProblemMessage } from "../../components/ProblemMessage";
import { formatNumber, useLocale } from "../../lib/format";
import { useTemplates, type TemplateSummary } from "./api";
import { studioHref } from "./paths";
import { StudioNav } from "./StudioNav";
import "./studio.css";

/** Whether a template matches the search, on its names, description or category. */
export function matchesTemplate(template: TemplateSummary, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [template.name, template.display_name, template.description ?? "", template.category].some((field) =>
    field.toLowerCase().includes(q),
  );
}

export function TemplatesPage() {
  const { t } = useTranslation("studio");
  const locale = useLocale();
  const templates = useTemplates();
  const [query, setQuery] = useState("");
  const visible = (templates.data?.items ?? []).filter((template) => matchesTemplate(template, query));

  return (
    <section className="page templates-page" aria-labelledby="templates-title">
      <h1 id="templates-title">{t("title")}</h1>
      <StudioNav />
      <h2>{t("templates.title")}</h2>
      <p className="muted">{t("templates.intro")}</p>
      <label className="field field--inline">
        <span className="field-label">{t("templates.search")}</span>
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={t("templates.searchPlaceholder")}
        />
      </label>
      <ProblemMessage
        error={templates.error}
        context={t("templates.loadError")}
        onRetry={() => void templates.refetch()}
      />
      {templates.isPending ? <p role="status">{t("loading")}</p> : null}
      {templates.data ? (
        <p className="visually-hidden" role="status">
          {t("templates.count", { count: visible.length })}
        </p>
      ) : null}
      {templates.data && visible.length === 0 ? <p className="muted">{t("templates.noMatch")}</p> : null}
      <ul className="template-grid" aria-label={t("templates.title")}>
        {visible.map((template) => (
          <li key={template.id} className="template-card">
            <h2>
              <Link to={studioHref.template(template.id)}>
                {t(`templateNames.${template.name}`, { defaultValue: template.display_name })}
              </Link>
            </h2>
            <p>
              <code>{template.name}</code>{" "}
              <span className="badge">
                {t(`templateCategories.${template.category}`, { defaultValue: template.category })}
              </span>{" "}
              {template.shared ? <span className="badge badge--muted">{t("templates.shared")}</span> : null}
            </p>
            {template.description ? <p lang="en">{template.description}</p> : null}
            <p className="muted">
              {t("templates.usage", {
                count: template.usage_count,
                formatted: formatNumber(template.usage_count, locale),
              })}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
