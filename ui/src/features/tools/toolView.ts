/** How the Tools page shows servers (status, call statistics) and tools (their input schema). */

import type { TFunction } from "i18next";
import type { Tool, ToolServer } from "../../api/tools";
import { formatNumber } from "../../lib/format";

/** "97% of 1,234 calls succeeded · 121 ms avg", or "No calls yet", in the reader's language. */
export function callStats(
  server: Pick<ToolServer, "total_calls" | "success_calls" | "average_response_time">,
  t: TFunction,
  locale: string,
): string {
  if (server.total_calls <= 0) return t("tools:servers.noCalls");
  const rate = Math.floor((server.success_calls / server.total_calls) * 100) / 100;
  const avg = Number(server.average_response_time);
  const succeeded = t("tools:servers.succeeded", {
    count: server.total_calls,
    rate: formatNumber(rate, locale, { style: "percent" }),
    calls: formatNumber(server.total_calls, locale),
  });
  if (!Number.isFinite(avg)) return succeeded;
  return t("tools:servers.withAverage", { succeeded, ms: formatNumber(Math.round(avg), locale) });
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
  // JSON Schema's own words: they are the same in every language.
  if (Array.isArray(schema.anyOf)) return "anyOf";
  if (Array.isArray(schema.oneOf)) return "oneOf";
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

/** Check the register-a-server form; answers field → message (in the reader's language). */
export function serverFormErrors(
  form: { server_id: string; name: string; endpoint_url: string },
  t: TFunction,
): {
  server_id?: string;
  name?: string;
  endpoint_url?: string;
} {
  const errors: { server_id?: string; name?: string; endpoint_url?: string } = {};
  if (!form.name.trim()) errors.name = t("tools:register.errors.name");
  if (!SERVER_ID.test(form.server_id)) {
    errors.server_id = t("tools:register.errors.serverId");
  }
  let url: URL | null = null;
  try {
    url = new URL(form.endpoint_url.trim());
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) {
    errors.endpoint_url = t("tools:register.errors.url");
  } else if (url.username || url.password) {
    errors.endpoint_url = t("tools:register.errors.credentials");
  } else if (url.hash) {
    errors.endpoint_url = t("tools:register.errors.fragment");
  }
  return errors;
}
