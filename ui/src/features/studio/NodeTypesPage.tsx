/** For developers: the node types agents are built from, with their config schemas. */

import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { NodeTypeInfo } from "../../api/types";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useLocale } from "../../lib/format";
import { useNodeTypes } from "./api";

/** Whether a node type matches the filter, on its own words or on what the reader sees. */
export function matchesNodeType(node: NodeTypeInfo, query: string, shownName = node.display_name): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [node.type_name, node.display_name, shownName, node.description ?? "", node.category, ...node.tags].some(
    (field) => field.toLowerCase().includes(q),
  );
}

export function NodeTypesPage() {
  const { t } = useTranslation("studio");
  const locale = useLocale();
  const nodeTypes = useNodeTypes();
  const [query, setQuery] = useState("");
  // The platform names its node types in English; the catalog has the reader's words for the known ones.
  const nameOf = (node: NodeTypeInfo) => t(`names.${node.type_name}`, { defaultValue: node.display_name });
  const visible = (nodeTypes.data ?? []).filter((node) => matchesNodeType(node, query, nameOf(node)));
  const list = (items: string[]) => new Intl.ListFormat(locale, { type: "conjunction" }).format(items);

  return (
    <section className="page node-types" aria-labelledby="node-types-title">
      <h1 id="node-types-title">{t("nodeTypes.title")}</h1>
      <p className="muted">{t("nodeTypes.intro")}</p>
      <label className="field field--inline">
        <span className="field-label">{t("nodeTypes.filter")}</span>
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={t("nodeTypes.placeholder")}
        />
      </label>
      <ProblemMessage
        error={nodeTypes.error}
        context={t("nodeTypes.loadError")}
        onRetry={() => void nodeTypes.refetch()}
      />
      {nodeTypes.isPending ? <p role="status">{t("loading")}</p> : null}
      {nodeTypes.data ? (
        <p className="visually-hidden" role="status">
          {t("nodeTypes.count", { count: visible.length })}
        </p>
      ) : null}
      {nodeTypes.data && visible.length === 0 ? <p className="muted">{t("nodeTypes.noMatch")}</p> : null}
      <ul className="node-type-list">
        {visible.map((node) => (
          <li key={node.type_name} className="node-type">
            <div className="node-type-head">
              <h2 className="node-type-name">{nameOf(node)}</h2>
              <code>{node.type_name}</code>
            </div>
            <p className="node-type-meta">
              <span className="badge">{t(`categories.${node.category}`, { defaultValue: node.category })}</span>
              <span className="badge badge--muted">
                {t(`execution.${node.execution}`, { defaultValue: node.execution })}
              </span>
              {node.tags.map((tag) => (
                <span key={tag} className="tag">
                  {tag}
                </span>
              ))}
            </p>
            {node.description ? <p lang="en">{node.description}</p> : null}
            {node.required_services && node.required_services.length > 0 ? (
              <p className="muted">
                {t("nodeTypes.needs", {
                  services: list(node.required_services.map((s) => t(`services.${s}`, { defaultValue: s }))),
                })}
              </p>
            ) : null}
            <details>
              <summary>{t("nodeTypes.configSchema")}</summary>
              <pre className="code-block" tabIndex={0}>
                <code>{JSON.stringify(node.config_schema, null, 2)}</code>
              </pre>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
