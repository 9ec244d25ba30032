/** A tool's input schema: its parameters as a table, and the raw JSON Schema. */

import { useTranslation } from "react-i18next";
import type { Tool } from "../../api/tools";
import { inputSchema, toolParameters } from "./toolView";

export function ToolSchema({ tool }: { tool: Pick<Tool, "name" | "manifest"> }) {
  const { t } = useTranslation("tools");
  const schema = inputSchema(tool);
  const parameters = toolParameters(schema);
  return (
    <details className="schema-details">
      <summary>
        {t("schema.title")} <span className="muted">{t("schema.parameters", { count: parameters.length })}</span>
      </summary>
      {!schema ? <p className="muted">{t("schema.none")}</p> : null}
      {parameters.length > 0 ? (
        <div className="table-wrap">
          <table className="schema-table paged-table">
            <caption className="visually-hidden">{t("schema.caption", { name: tool.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("schema.columns.parameter")}</th>
                <th scope="col">{t("schema.columns.type")}</th>
                <th scope="col">{t("schema.columns.description")}</th>
              </tr>
            </thead>
            <tbody>
              {parameters.map((p) => (
                <tr key={p.name}>
                  <td data-label={t("schema.columns.parameter")}>
                    <code>{p.name}</code>
                    {p.required ? <span className="badge">{t("schema.required")}</span> : null}
                  </td>
                  <td data-label={t("schema.columns.type")}>
                    <code>{p.type}</code>
                  </td>
                  <td data-label={t("schema.columns.description")}>{p.description || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {schema ? <pre className="code-block">{JSON.stringify(schema, null, 2)}</pre> : null}
    </details>
  );
}
