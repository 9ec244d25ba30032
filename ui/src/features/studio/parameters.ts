/** A template's parameters as a reader sees them: name, type, default and description, from its JSON Schema. */

export interface ParameterInfo {
  name: string;
  /** The JSON types it takes, "null" left out ("string", "integer"…). */
  types: string[];
  required: boolean;
  /** The default as JSON text, or null when there is none. */
  defaultText: string | null;
  description: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The top-level parameters of a template's `parameter_schema`, in the schema's order. */
export function parametersOf(schema: unknown): ParameterInfo[] {
  if (!isRecord(schema) || !isRecord(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  return Object.entries(schema.properties).map(([name, raw]) => {
    const property = isRecord(raw) ? raw : {};
    const type = property.type;
    const types = (Array.isArray(type) ? type.map(String) : typeof type === "string" ? [type] : []).filter(
      (t) => t !== "null",
    );
    return {
      name,
      types: types.length ? types : Array.isArray(property.enum) ? ["enum"] : [],
      required: required.has(name),
      defaultText: "default" in property && property.default !== null ? JSON.stringify(property.default) : null,
      description: typeof property.description === "string" ? property.description : null,
    };
  });
}
