/**
 * How each node type's config form looks (rjsf's uiSchema): translated labels and help, the
 * order of fields, and the widgets where a plain field would be wrong — pickers for models,
 * tools, knowledge bases and state keys, multi-line prompts, a code editor, JSON text for free
 * JSON. Any node type gets the generic part (labels, state key pickers, JSON text), so a type
 * added on the server still gets a usable form.
 */

import type { RJSFSchema, UiSchema } from "@rjsf/utils";
import type { TFunction } from "i18next";
import { ApprovalField } from "./fields/ApprovalField";
import { DeadlineField } from "./fields/DeadlineField";
import { InputSchemaField } from "./fields/InputSchemaField";
import { JsonField } from "./fields/JsonField";
import { ToolArgumentsField } from "./fields/ToolArgumentsField";
import { STATE_KEY_PATTERN_SOURCE } from "./names";
import { CodeWidget } from "./widgets/CodeWidget";
import { KnowledgeBasesWidget } from "./widgets/KnowledgeBasesWidget";
import { ModelWidget } from "./widgets/ModelWidget";
import { RegistryToolsWidget } from "./widgets/RegistryToolsWidget";
import { StateKeysWidget } from "./widgets/StateKeysWidget";
import { StateKeyWidget } from "./widgets/StateKeyWidget";
import { ToolNameWidget } from "./widgets/ToolNameWidget";

type Json = Record<string, unknown>;

/** Texts about templates show the placeholder syntax, which i18next would read as its own. */
export const TEMPLATE_SYNTAX = { placeholder: "{{ expression }}" };

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Whether i18next has `key` (in the `nodeConfig` namespace). */
export type HasText = (key: string) => boolean;

interface Context {
  typeName: string;
  /** The config as the form shows it. */
  data: Json;
  defaults: Json;
  t: TFunction;
  has: HasText;
}

/** The uiSchema for a config form of type `typeName` with schema `schema` (already simplified). */
export function configUiSchema(
  typeName: string,
  schema: RJSFSchema,
  defaults: Json,
  data: Json,
  t: TFunction,
  has: HasText,
): UiSchema {
  const context: Context = { typeName, data, defaults, t, has };
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const ui: UiSchema = {};
  for (const [key, property] of Object.entries(properties)) {
    ui[key] = genericField(key, isRecord(property) ? property : {}, context);
  }
  const special = SPECIAL[typeName]?.(context) ?? {};
  for (const [key, value] of Object.entries(special)) {
    ui[key] = key.startsWith("ui:") ? value : { ...(ui[key] as UiSchema | undefined), ...(value as UiSchema) };
  }
  return ui;
}

/** Label, help and widget from the field's schema and the catalog alone. */
function genericField(key: string, property: Json, { typeName, defaults, t, has }: Context): UiSchema {
  const ui: UiSchema = {};
  const text = (part: "label" | "help") =>
    [`fields.${typeName}.${key}.${part}`, `fields.common.${key}.${part}`].find(has);
  const label = text("label");
  ui["ui:title"] = label ? t(label) : humanize(key);
  const help = text("help");
  if (help) ui["ui:description"] = t(help, TEMPLATE_SYNTAX);
  const types = Array.isArray(property.type) ? property.type : [property.type];
  if (property.pattern === STATE_KEY_PATTERN_SOURCE) {
    ui["ui:widget"] = StateKeyWidget;
  } else if (types.includes("object") && isFreeJson(property)) {
    ui["ui:field"] = JsonField;
  }
  const fallback = defaults[key];
  if (types.includes("string") && typeof fallback === "string" && fallback !== "") {
    // Emptied is "empty", not "back to the default text" (the person sees an empty box).
    ui["ui:emptyValue"] = "";
  }
  if ((types.includes("number") || types.includes("integer")) && typeof fallback === "number") {
    ui["ui:placeholder"] = t("nodeConfig:defaultIs", { value: fallback });
  }
  return ui;
}

/** An object the form cannot draw field by field: no declared properties and no simple value type. */
function isFreeJson(property: Json): boolean {
  if (isRecord(property.properties)) return false;
  const values = property.additionalProperties;
  return !(isRecord(values) && typeof values.type === "string" && values.type !== "object");
}

/** "history_limit" → "History limit", for fields the catalog does not name. */
export function humanize(key: string): string {
  const words = key.replace(/_/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const textarea = (rows: number, placeholder?: string): UiSchema => ({
  "ui:widget": "textarea",
  "ui:options": { rows },
  ...(placeholder ? { "ui:placeholder": placeholder } : {}),
});

/** Draws nothing: a field that does not apply in the chosen mode (its value is kept as it is). */
const Omitted = () => null;

const hiddenUnless = (shown: boolean): UiSchema => (shown ? {} : { "ui:widget": "hidden", "ui:field": Omitted });

/** The llm node's bounds for users' own defaults: each parameter's name and its two bounds, translated. */
function userParamBounds(t: TFunction): UiSchema {
  const bounds = (param: string): UiSchema => ({
    "ui:title": t(`nodeConfig:fields.llm.${param}.label`),
    min: { "ui:title": t("nodeConfig:fields.llm.user_params.min") },
    max: { "ui:title": t("nodeConfig:fields.llm.user_params.max") },
  });
  return { temperature: bounds("temperature"), max_tokens: bounds("max_tokens") };
}

/** Per-type additions, merged over the generic part. */
const SPECIAL: Record<string, (context: Context) => UiSchema> = {
  llm: ({ t }) => ({
    "ui:order": [
      "model",
      "system_prompt",
      "prompt",
      "tools",
      "tool_choice",
      "temperature",
      "max_tokens",
      "top_p",
      "stop",
      "json_schema",
      "messages_key",
      "include_history",
      "history_limit",
      "history_max_turns",
      "history_max_tokens",
      "context_window_tokens",
      "append_to_messages",
      "output_key",
      "*",
    ],
    model: { "ui:widget": ModelWidget },
    system_prompt: textarea(6),
    prompt: textarea(3, t("nodeConfig:placeholders.template", TEMPLATE_SYNTAX)),
    tools: { "ui:widget": RegistryToolsWidget },
    user_params: userParamBounds(t),
    tool_choice: {
      "ui:enumNames": {
        null: t("nodeConfig:toolChoice.null"),
        auto: t("nodeConfig:toolChoice.auto"),
        none: t("nodeConfig:toolChoice.none"),
        required: t("nodeConfig:toolChoice.required"),
      },
    },
  }),
  tool: ({ t, data }) => {
    const direct = data.mode === "direct";
    return {
      "ui:order": ["mode", "tool", "arguments", "arguments_from", "allowed_tools", "server", "*"],
      mode: {
        "ui:widget": "radio",
        "ui:enumNames": { tool_calls: t("nodeConfig:toolMode.tool_calls"), direct: t("nodeConfig:toolMode.direct") },
      },
      tool: direct ? { "ui:widget": ToolNameWidget } : hiddenUnless(false),
      arguments: direct ? { "ui:field": ToolArgumentsField } : hiddenUnless(false),
      arguments_from: direct ? { "ui:placeholder": t("nodeConfig:placeholders.object") } : hiddenUnless(false),
      allowed_tools: direct
        ? hiddenUnless(false)
        : { "ui:widget": RegistryToolsWidget, "ui:options": { emptyIsNull: true } },
    };
  },
  rag: ({ t }) => ({
    "ui:order": ["query", "knowledge_base_ids", "top_k", "score_threshold", "hybrid", "filters", "*"],
    query: textarea(2, t("nodeConfig:placeholders.query")),
    knowledge_base_ids: { "ui:widget": KnowledgeBasesWidget },
  }),
  human: ({ t }) => ({
    "ui:order": [
      "instruction",
      "required_input_schema",
      "priority",
      "approval",
      "assigned_to",
      "due_in_seconds",
      "deadline",
      "*",
    ],
    instruction: textarea(4, t("nodeConfig:placeholders.template", TEMPLATE_SYNTAX)),
    required_input_schema: { "ui:field": InputSchemaField },
    deadline: { "ui:field": DeadlineField },
    approval: { "ui:field": ApprovalField },
    state_keys: { "ui:widget": StateKeysWidget },
  }),
  router: ({ t }) => ({
    "ui:order": ["cases", "default", "output_key", "*"],
    cases: {
      items: {
        when: {
          "ui:title": t("nodeConfig:fields.router.when.label"),
          "ui:placeholder": t("nodeConfig:placeholders.condition"),
        },
        route: {
          "ui:title": t("nodeConfig:fields.router.route.label"),
          "ui:placeholder": t("nodeConfig:placeholders.route"),
        },
      },
    },
  }),
  transform: ({ t }) => ({
    assign: { additionalProperties: { "ui:placeholder": t("nodeConfig:placeholders.expression") } },
    render: { additionalProperties: { ...textarea(2, t("nodeConfig:placeholders.template", TEMPLATE_SYNTAX)) } },
  }),
  code: ({ t }) => ({
    "ui:order": ["code", "inputs", "output_key", "outputs", "output_schema", "logs_key", "limits", "*"],
    code: { "ui:widget": CodeWidget },
    inputs: { additionalProperties: { "ui:placeholder": t("nodeConfig:placeholders.expression") } },
    outputs: { additionalProperties: { "ui:placeholder": t("nodeConfig:placeholders.field") } },
    limits: {
      fuel: {
        "ui:title": t("nodeConfig:fields.code.fuel.label"),
        "ui:description": t("nodeConfig:fields.code.fuel.help"),
      },
      memory_mb: { "ui:title": t("nodeConfig:fields.code.memory_mb.label") },
      timeout_seconds: { "ui:title": t("nodeConfig:fields.code.timeout_seconds.label") },
      max_output_bytes: { "ui:title": t("nodeConfig:fields.code.max_output_bytes.label") },
    },
  }),
};

/** The node types whose config holds expressions over state (they get the expression help). */
export const USES_EXPRESSIONS = new Set(["router", "transform", "tool", "rag", "code"]);
/** The node types whose config holds text templates with `{{ expr }}`. */
export const USES_TEMPLATES = new Set(["llm", "human", "transform"]);
