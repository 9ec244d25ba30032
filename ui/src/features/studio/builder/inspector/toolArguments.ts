/**
 * A registry tool's parameters, for the `tool` node's argument rows: the top-level properties of
 * its input schema (`manifest.input_schema`, or MCP's `inputSchema`), required ones first.
 */

import type { Tool } from "./queries";

export interface ToolParameter {
  name: string;
  required: boolean;
  /** The JSON type named in the schema ("string", "integer"…), or null when it names none. */
  type: string | null;
  description: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The parameters of `tool`, or none when its schema declares no properties. */
export function toolParameters(tool: Pick<Tool, "manifest"> | undefined): ToolParameter[] {
  const schema = tool ? (tool.manifest.input_schema ?? tool.manifest.inputSchema) : null;
  if (!isRecord(schema) || !isRecord(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  return Object.entries(schema.properties)
    .map(([name, value]) => {
      const property = isRecord(value) ? value : {};
      return {
        name,
        required: required.has(name),
        type: typeof property.type === "string" ? property.type : null,
        description: typeof property.description === "string" ? property.description : "",
      };
    })
    .sort((a, b) => Number(b.required) - Number(a.required));
}

/** `args` with `name` set to `expression`, or dropped when the expression is empty. */
export function withArgument(args: Record<string, string>, name: string, expression: string): Record<string, string> {
  const next = { ...args };
  if (expression.trim()) next[name] = expression;
  else delete next[name];
  return next;
}
