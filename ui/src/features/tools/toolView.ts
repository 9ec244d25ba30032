/** How the Tools page shows servers (status, call statistics) and tools (their input schema). */

import type { Tool, ToolServer } from "../../api/tools";

/** "97% of 1,234 calls · 120 ms avg", or "No calls yet". */
export function callStats(server: Pick<ToolServer, "total_calls" | "success_calls" | "average_response_time">): string {
  if (server.total_calls <= 0) return "No calls yet";
  const rate = Math.floor((server.success_calls / server.total_calls) * 100);
  const avg = Number(server.average_response_time);
  const calls = `${server.total_calls.toLocaleString()} ${server.total_calls === 1 ? "call" : "calls"}`;
  return `${rate}% of ${calls} succeeded${Number.isFinite(avg) ? ` · ${Math.round(avg)} ms avg` : ""}`;
}

/** The badge class of a server or tool status. */
export function statusTone(status: string): "ok" | "off" | "bad" {
  if (status === "active") return "ok";
  if (status === "error") return "bad";
  return "off";
}

export interface ToolParameter {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A tool's input schema (`manifest.input_schema`, or MCP's `inputSchema`); null when it has none. */
export function inputSchema(tool: Pick<Tool, "manifest">): Record<string, unknown> | null {
  const schema = tool.manifest.input_schema ?? tool.manifest.inputSchema;
  return isRecord(schema) ? schema : null;
}

function typeOf(schema: Record<string, unknown>): string {
  const type = schema.type;
  if (Array.isArray(type)) return type.map(String).join(" | ");
  if (typeof type === "string") {
    if (type === "array" && isRecord(schema.items) && typeof schema.items.type === "string") {
      return `${schema.items.type}[]`;
    }
    return type;
  }
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) return "one of several";
  return "any";
}

/** The top-level parameters of an object schema, required ones first, then by name. */
export function toolParameters(schema: Record<string, unknown> | null): ToolParameter[] {
  if (!schema || !isRecord(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  return Object.entries(schema.properties)
    .map(([name, value]) => {
      const property = isRecord(value) ? value : {};
      return {
        name,
        type: typeOf(property),
        required: required.has(name),
        description: typeof property.description === "string" ? property.description : "",
      };
    })
    .sort((a, b) => Number(b.required) - Number(a.required) || a.name.localeCompare(b.name));
}

const SERVER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Suggest a server id from its name: "Weather API" → "weather-api". */
export function serverIdFromName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .replace(/-+$/, "")
    .slice(0, 128);
}

/** Check the register-a-server form; answers field → message. */
export function serverFormErrors(form: { server_id: string; name: string; endpoint_url: string }): {
  server_id?: string;
  name?: string;
  endpoint_url?: string;
} {
  const errors: { server_id?: string; name?: string; endpoint_url?: string } = {};
  if (!form.name.trim()) errors.name = "Give the server a name.";
  if (!SERVER_ID.test(form.server_id)) {
    errors.server_id = "Letters, digits, “_”, “.” and “-”, starting with a letter or digit.";
  }
  let url: URL | null = null;
  try {
    url = new URL(form.endpoint_url.trim());
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) {
    errors.endpoint_url = "An http(s) URL with a host, e.g. https://mcp-host/mcp.";
  } else if (url.username || url.password) {
    errors.endpoint_url = "Put no credentials in the URL; use the bearer credential field.";
  } else if (url.hash) {
    errors.endpoint_url = "The URL must not have a #fragment.";
  }
  return errors;
}
