/** A tool's input schema: its parameters as a table, and the raw JSON Schema. */

import type { Tool } from "../../api/tools";
import { inputSchema, toolParameters } from "./toolView";

export function ToolSchema({ tool }: { tool: Pick<Tool, "name" | "manifest"> }) {
  const schema = inputSchema(tool);
  const parameters = toolParameters(schema);
  return (
    <details className="schema-details">
      <summary>
        Input schema{" "}
        <span className="muted">
          ({parameters.length} {parameters.length === 1 ? "parameter" : "parameters"})
        </span>
      </summary>
      {!schema ? <p className="muted">This tool declares no input schema.</p> : null}
      {parameters.length > 0 ? (
        <div className="table-wrap">
          <table className="schema-table">
            <caption className="visually-hidden">Parameters of {tool.name}</caption>
            <thead>
              <tr>
                <th scope="col">Parameter</th>
                <th scope="col">Type</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {parameters.map((p) => (
                <tr key={p.name}>
                  <td>
                    <code>{p.name}</code>
                    {p.required ? <span className="badge">required</span> : null}
                  </td>
                  <td>
                    <code>{p.type}</code>
                  </td>
                  <td>{p.description || "—"}</td>
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
