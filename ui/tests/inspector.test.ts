// @vitest-environment jsdom
/**
 * The builder's node inspector and state schema editor as a person uses them: an llm node's form
 * with the model picker filled from the tenant's configs, a change handed back as the right
 * NodeSpec, a validation problem under its field, the naming rules, the human node's input
 * schema editor, the code editor (loaded lazily), read-only, and the state schema's add, rename,
 * remove and reducer.
 */

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createElement, useState, type ReactNode } from "react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { ChatStore } from "../src/features/chat/chatStore";
import type { BuilderProblem, NodeSpec, NodeTypePublic, StateKey } from "../src/features/studio/builder/definition";
import { NodeInspector } from "../src/features/studio/builder/inspector/NodeInspector";
import { StateSchemaEditor } from "../src/features/studio/builder/inspector/StateSchemaEditor";
import { configFromForm, displaySchema } from "../src/features/studio/builder/inspector/configForm";
import { addField, changeField, inputFields } from "../src/features/studio/builder/inspector/inputSchema";
import { SessionStore } from "../src/session/sessionStore";
import { json, problem, scriptedFetch, type Handler } from "./helpers/http";

/** The seeded node types (`node_types/*.py`), as `GET /api/v1/node-types` lists them. */
const NODE_TYPES: Record<string, NodeTypePublic> = {
  llm: {
    id: "00000000-0000-0000-0000-000000000001",
    type_name: "llm",
    display_name: "LLM",
    description:
      "Calls a chat model with a system prompt, the conversation and optional tools or JSON output; appends the reply to the conversation and/or a state key.",
    category: "processing",
    tags: ["llm", "chat", "model", "activity"],
    execution: "activity",
    config_schema: {
      type: "object",
      additionalProperties: false,
      properties: {
        model: { type: ["string", "null"], description: "null = the tenant's default model" },
        system_prompt: { type: "string", description: "Template with {{ expr }}." },
        prompt: {
          type: ["string", "null"],
          description: "Template sent as a final user message (not stored in state).",
        },
        messages_key: { anyOf: [{ type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" }, { type: "null" }] },
        include_history: { type: "boolean" },
        history_limit: { type: ["integer", "null"], minimum: 1 },
        append_to_messages: { type: "boolean" },
        message_name: { type: ["string", "null"], pattern: "^[A-Za-z0-9_-]{1,64}$" },
        output_key: { anyOf: [{ type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" }, { type: "null" }] },
        json_schema: { type: ["object", "null"], description: "Ask for JSON output." },
        temperature: { type: ["number", "null"], minimum: 0, maximum: 2 },
        max_tokens: { type: ["integer", "null"], minimum: 1, maximum: 1000000 },
        top_p: { type: ["number", "null"], minimum: 0, maximum: 1 },
        stop: { type: ["array", "null"], items: { type: "string" }, maxItems: 4 },
        tools: {
          type: "array",
          items: {
            anyOf: [
              { type: "string", minLength: 1, description: "An MCP tool name, resolved at run time." },
              {
                type: "object",
                required: ["name"],
                additionalProperties: false,
                properties: {
                  name: { type: "string", minLength: 1 },
                  description: { type: "string" },
                  parameters: { type: "object" },
                },
              },
            ],
          },
        },
        tool_choice: { enum: ["auto", "none", "required", null] },
        stream: { type: "boolean" },
      },
    },
    input_schema: { type: "object" },
    output_schema: { type: "object" },
    required_services: ["llm_service"],
    default_config: {
      model: null,
      system_prompt: "You are a helpful assistant.",
      prompt: null,
      messages_key: "messages",
      include_history: true,
      history_limit: null,
      append_to_messages: true,
      message_name: null,
      output_key: null,
      json_schema: null,
      temperature: 0.7,
      max_tokens: null,
      top_p: null,
      stop: null,
      tools: [],
      tool_choice: null,
      stream: true,
    },
  },
  tool: {
    id: "00000000-0000-0000-0000-000000000002",
    type_name: "tool",
    display_name: "Tool (MCP)",
    description:
      "Calls tools on the agent's MCP servers: either the tool calls the model just made, or one tool with arguments taken from state.",
    category: "integration",
    tags: ["tool", "mcp", "activity"],
    execution: "activity",
    config_schema: {
      type: "object",
      additionalProperties: false,
      properties: {
        mode: { enum: ["tool_calls", "direct"] },
        server: { type: ["string", "null"], description: "MCP server name; null = any." },
        tool: { type: ["string", "null"], description: "Tool to call in direct mode." },
        arguments: {
          type: "object",
          additionalProperties: { type: "string" },
          description: "Direct mode: argument name -> expression over state.",
        },
        arguments_from: {
          type: ["string", "null"],
          description: "Direct mode: expression giving an object of arguments (`arguments` entries override its keys).",
        },
        allowed_tools: { type: ["array", "null"], items: { type: "string" } },
        messages_key: { anyOf: [{ type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" }, { type: "null" }] },
        output_key: { anyOf: [{ type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" }, { type: "null" }] },
      },
      if: { properties: { mode: { const: "direct" } }, required: ["mode"] },
      then: { properties: { tool: { type: "string", minLength: 1 } } },
    },
    input_schema: { type: "object" },
    output_schema: { type: "object" },
    required_services: ["mcp_service"],
    default_config: {
      mode: "tool_calls",
      server: null,
      tool: null,
      arguments: {},
      arguments_from: null,
      allowed_tools: null,
      messages_key: "messages",
      output_key: null,
    },
  },
  rag: {
    id: "00000000-0000-0000-0000-000000000003",
    type_name: "rag",
    display_name: "Knowledge retrieval",
    description:
      "Embeds a query taken from state and searches the agent's knowledge bases; writes the passages and a numbered context block for prompts.",
    category: "io",
    tags: ["rag", "retrieval", "knowledge", "activity"],
    execution: "activity",
    config_schema: {
      type: "object",
      additionalProperties: false,
      properties: {
        query: { type: "string", minLength: 1, description: "Expression over state." },
        knowledge_base_ids: { type: "array", items: { type: "string" } },
        top_k: { type: "integer", minimum: 1, maximum: 50 },
        score_threshold: { type: ["number", "null"] },
        filters: {
          type: "object",
          description: "Document metadata that must match: {field: value or [any of]}.",
          propertyNames: { pattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$" },
          additionalProperties: {
            anyOf: [
              { type: ["string", "integer", "boolean"] },
              { type: "array", items: { type: ["string", "integer"] }, minItems: 1 },
            ],
          },
        },
        hybrid: { type: "boolean", description: "Fuse dense similarity with keyword (BM25-like) matching." },
        output_key: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" },
        context_key: { anyOf: [{ type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" }, { type: "null" }] },
        citations_key: { anyOf: [{ type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" }, { type: "null" }] },
      },
    },
    input_schema: { type: "object" },
    output_schema: { type: "object" },
    required_services: ["vector_db", "embedding_service"],
    default_config: {
      query: "last(messages).content",
      knowledge_base_ids: [],
      top_k: 4,
      score_threshold: null,
      filters: {},
      hybrid: false,
      output_key: "passages",
      context_key: "context",
      citations_key: null,
    },
  },
  human: {
    id: "00000000-0000-0000-0000-000000000004",
    type_name: "human",
    display_name: "Human review",
    description:
      "Pauses the run until a reviewer completes a task with input matching a schema (approve/reject by default); optional deadline with escalation, a default answer or failure.",
    category: "control",
    tags: ["human", "approval", "review", "wait"],
    execution: "human",
    config_schema: {
      type: "object",
      additionalProperties: false,
      properties: {
        instruction: { type: "string", minLength: 1, description: "Template." },
        required_input_schema: { type: "object" },
        priority: { type: "integer", minimum: 1, maximum: 10 },
        assigned_to: { type: ["string", "null"] },
        due_in_seconds: { type: ["number", "null"], exclusiveMinimum: 0 },
        deadline: {
          anyOf: [
            {
              type: "object",
              additionalProperties: false,
              required: ["after_seconds", "policy"],
              properties: {
                after_seconds: { type: "number", exclusiveMinimum: 0 },
                policy: { enum: ["escalate", "default_branch", "fail"] },
                default_input: { type: ["object", "null"] },
                escalate_to: { type: ["string", "null"] },
                escalate_priority: { type: ["integer", "null"], minimum: 1, maximum: 10 },
              },
            },
            { type: "null" },
          ],
        },
        output_key: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" },
        state_keys: { type: ["array", "null"], items: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" } },
      },
    },
    input_schema: { type: "object" },
    output_schema: { type: "object" },
    required_services: [],
    default_config: {
      instruction: "Please review the request and respond.",
      required_input_schema: {
        type: "object",
        additionalProperties: false,
        required: ["approved"],
        properties: { approved: { type: "boolean" }, comment: { type: "string", maxLength: 4000 } },
      },
      priority: 5,
      assigned_to: null,
      due_in_seconds: null,
      deadline: null,
      output_key: "human_input",
      state_keys: null,
    },
  },
  router: {
    id: "00000000-0000-0000-0000-000000000005",
    type_name: "router",
    display_name: "Router",
    description:
      "Chooses a route from ordered conditions over state and records it for a conditional edge. Runs inside the workflow, no I/O.",
    category: "control",
    tags: ["routing", "condition", "inline"],
    execution: "inline",
    config_schema: {
      type: "object",
      additionalProperties: false,
      properties: {
        cases: {
          type: "array",
          description: "Checked in order; the first case whose `when` is truthy wins.",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["when", "route"],
            properties: { when: { type: "string", minLength: 1 }, route: { type: "string", minLength: 1 } },
          },
        },
        default: { type: ["string", "null"], description: "Route when no case matches." },
        output_key: { anyOf: [{ type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" }, { type: "null" }] },
      },
    },
    input_schema: { type: "object" },
    output_schema: { type: "object" },
    required_services: [],
    default_config: { cases: [], default: null, output_key: "route" },
  },
  transform: {
    id: "00000000-0000-0000-0000-000000000006",
    type_name: "transform",
    display_name: "Transform",
    description:
      "Computes new state values from expressions and templates (counters, formatting, building messages). Runs inside the workflow, no I/O.",
    category: "processing",
    tags: ["expression", "state", "inline"],
    execution: "inline",
    config_schema: {
      type: "object",
      additionalProperties: false,
      properties: {
        assign: {
          type: "object",
          propertyNames: { pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" },
          additionalProperties: { type: "string" },
          description:
            "state key -> expression; the value is written through the key's reducer (e.g. a list for an append key).",
        },
        render: {
          type: "object",
          propertyNames: { pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" },
          additionalProperties: { type: "string" },
          description: "state key -> text template with {{ expr }}.",
        },
      },
    },
    input_schema: { type: "object" },
    output_schema: { type: "object" },
    required_services: [],
    default_config: { assign: {}, render: {} },
  },
  code: {
    id: "00000000-0000-0000-0000-000000000007",
    type_name: "code",
    display_name: "Python code",
    description:
      "Runs a developer's Python function main(inputs) in a WebAssembly sandbox (no network, no host files, fuel, memory and time limits) and writes its result to state.",
    category: "processing",
    tags: ["code", "python", "sandbox", "wasm", "activity"],
    execution: "activity",
    config_schema: {
      type: "object",
      additionalProperties: false,
      required: ["code"],
      properties: {
        code: { type: "string", minLength: 1, maxLength: 100000, description: "Python source defining main(inputs)." },
        inputs: {
          type: "object",
          propertyNames: { minLength: 1, maxLength: 128 },
          additionalProperties: { type: "string" },
          description: "Argument name -> expression over state.",
        },
        output_key: { anyOf: [{ type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" }, { type: "null" }] },
        outputs: {
          type: "object",
          propertyNames: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" },
          additionalProperties: { type: "string", minLength: 1 },
          description: "State key -> field of main's returned dict.",
        },
        output_schema: { type: ["object", "null"] },
        logs_key: { anyOf: [{ type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" }, { type: "null" }] },
        limits: {
          type: "object",
          additionalProperties: false,
          properties: {
            fuel: { type: "integer", minimum: 1000000000, maximum: 1000000000000 },
            memory_mb: { type: "integer", minimum: 32, maximum: 2048 },
            timeout_seconds: { type: "number", exclusiveMinimum: 0, maximum: 60 },
            max_output_bytes: { type: "integer", minimum: 0, maximum: 1048576 },
          },
        },
      },
    },
    input_schema: { type: "object" },
    output_schema: { type: "object" },
    required_services: ["code_sandbox"],
    default_config: {
      code: 'def main(inputs: dict) -> dict:\n    return {"echo": inputs}\n',
      inputs: {},
      output_key: null,
      outputs: {},
      output_schema: null,
      logs_key: null,
      limits: {},
    },
  },
};

const page = (items: unknown[]) => ({ items, total: items.length, limit: 200, offset: 0 });

const modelConfig = (id: number, name: string, model: string, extra: Record<string, unknown> = {}) => ({
  config_id: id,
  provider_id: 1,
  service_name: name.toLowerCase(),
  service_display_name: name,
  service_type: "llm",
  model,
  params: {},
  limits: {},
  pricing: null,
  is_active: true,
  is_default: false,
  has_credentials: true,
  credentials_hint: "sk-…abcd",
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-01T00:00:00Z",
  ...extra,
});

const registryTool = (name: string, description: string, inputSchema: Record<string, unknown> = {}) => ({
  id: `00000000-0000-0000-0000-0000000000${name.length}0`,
  name,
  version: "1.0.0",
  description,
  manifest: { input_schema: inputSchema },
  server_endpoint: "http://tools.local/mcp",
  topic_server_id: "00000000-0000-0000-0000-000000000099",
  status: "active",
  tags: [],
  acts_on_behalf_of_user: false,
  max_execution_time: 30,
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-01T00:00:00Z",
});

const ROUTES: Record<string, Handler> = {
  "GET /api/v1/service-configs": () =>
    json(
      200,
      page([
        modelConfig(1, "OpenAI", "gpt-4o-mini", { is_default: true }),
        modelConfig(2, "Qwen", "qwen2.5-14b"),
        modelConfig(3, "Embedder", "bge-m3", { service_type: "embedding" }),
      ]),
    ),
  "GET /api/v1/tools": () => json(200, page([registryTool("web_search", "Searches the web")])),
  "GET /api/v1/knowledge-bases": () => json(200, page([])),
};

function services(routes: Record<string, Handler>): Services {
  const tokens = new TokenStore(memoryStorage());
  tokens.set({
    access_token: "access",
    refresh_token: "refresh",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "developer",
  });
  const client = new ApiClient({ fetch: scriptedFetch(routes).fetch, tokens });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return { client, chats: new ChatStore(client), session: new SessionStore(client, tokens, () => {}), queries };
}

function withServices(node: ReactNode, routes: Record<string, Handler> = ROUTES) {
  const value = services(routes);
  return createElement(
    ServicesContext.Provider,
    { value },
    createElement(QueryClientProvider, { client: value.queries }, node),
  );
}

interface InspectorOptions {
  node: NodeSpec;
  problems?: BuilderProblem[];
  readOnly?: boolean;
  otherNodeNames?: string[];
  routes?: Record<string, Handler>;
}

/** The inspector inside a parent that keeps the node, as the canvas does; every change is recorded. */
function renderInspector({
  node,
  problems = [],
  readOnly = false,
  otherNodeNames = ["router"],
  routes,
}: InspectorOptions) {
  const changes: NodeSpec[] = [];
  function Parent() {
    const [current, setCurrent] = useState(node);
    return createElement(NodeInspector, {
      node: current,
      nodeType: NODE_TYPES[current.type],
      otherNodeNames,
      stateKeys: ["messages", "answer", "route"],
      problems,
      readOnly,
      onChange: (next: NodeSpec) => {
        changes.push(next);
        setCurrent(next);
      },
    });
  }
  const view = render(withServices(createElement(Parent), routes));
  return { ...view, changes };
}

function renderStateEditor(state: Record<string, StateKey>, problems: BuilderProblem[] = []) {
  const changes: Record<string, StateKey>[] = [];
  function Parent() {
    const [current, setCurrent] = useState(state);
    return createElement(StateSchemaEditor, {
      state: current,
      problems,
      readOnly: false,
      onChange: (next: Record<string, StateKey>) => {
        changes.push(next);
        setCurrent(next);
      },
    });
  }
  render(createElement(Parent));
  return { changes };
}

const optionTexts = (select: HTMLElement) =>
  Array.from((select as HTMLSelectElement).options).map((o) => o.textContent);

beforeAll(() => {
  // jsdom lays nothing out: CodeMirror measures text ranges, which jsdom's Range cannot.
  const empty = () =>
    ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
  Range.prototype.getClientRects = empty;
  Range.prototype.getBoundingClientRect = () => new DOMRect();
});

afterEach(() => {
  cleanup();
});

describe("the node inspector", () => {
  it("picks an llm node's model from the tenant's model configs and hands back only what changed", async () => {
    const { changes } = renderInspector({
      node: { name: "chat", type: "llm", config: { system_prompt: "You help with {{ topic }}." } },
    });
    const model = screen.getByLabelText("Model");
    await waitFor(() => expect(optionTexts(model)).toContain("OpenAI · gpt-4o-mini (default)"));
    // Chat models only, and the tenant's default model first.
    expect(optionTexts(model)).toEqual([
      "Tenant's default model",
      "OpenAI · gpt-4o-mini (default)",
      "Qwen · qwen2.5-14b",
      "Another model…",
    ]);
    expect((screen.getByLabelText("System prompt") as HTMLTextAreaElement).value).toBe("You help with {{ topic }}.");
    // The type's defaults are shown: a yes/no cannot show "unset".
    expect((screen.getByLabelText("Send the conversation history") as HTMLInputElement).checked).toBe(true);

    fireEvent.change(model, { target: { value: String(optionTexts(model).indexOf("Qwen · qwen2.5-14b")) } });
    expect(changes.at(-1)).toEqual({
      name: "chat",
      type: "llm",
      config: { system_prompt: "You help with {{ topic }}.", model: "qwen2.5-14b" },
    });

    fireEvent.change(screen.getByLabelText("Temperature"), { target: { value: "0.2" } });
    expect(changes.at(-1)?.config).toEqual({
      system_prompt: "You help with {{ topic }}.",
      model: "qwen2.5-14b",
      temperature: 0.2,
    });

    // Tools come from the registry.
    const tools = await screen.findByRole("group", { name: "Tools" });
    fireEvent.click(within(tools).getByLabelText(/web_search/));
    expect(changes.at(-1)?.config.tools).toEqual(["web_search"]);
  });

  it("names an offline scripted model, and lets a non-admin type the model when the list is refused", async () => {
    renderInspector({ node: { name: "chat", type: "llm", config: { model: "scripted/echo" } } });
    await waitFor(() =>
      expect(optionTexts(screen.getByLabelText("Model"))).toContain("Offline scripted model (scripted/echo)"),
    );
    cleanup();

    const { changes } = renderInspector({
      node: { name: "chat", type: "llm", config: {} },
      routes: { ...ROUTES, "GET /api/v1/service-configs": () => problem(403, "Forbidden") },
    });
    const typed = await screen.findByPlaceholderText("Model name, e.g. gpt-4o-mini");
    expect(screen.getByText(/only visible to administrators/)).toBeTruthy();
    fireEvent.change(typed, { target: { value: "gpt-4o" } });
    expect(changes.at(-1)?.config).toEqual({ model: "gpt-4o" });
  });

  it("shows a validation problem at /config/<field> under that field", () => {
    renderInspector({
      node: { name: "chat", type: "llm", config: { max_tokens: 5 } },
      problems: [
        { path: "/config/max_tokens", message: "exceeds the model's output limit" },
        { path: "/reads", message: "reads 'topic', which is not a declared state key" },
      ],
    });
    const field = screen.getByLabelText("Maximum reply tokens");
    const described = (field.getAttribute("aria-describedby") ?? "").split(" ");
    const errorBox = described.map((id) => document.getElementById(id)).find((el) => el?.className === "field-error");
    expect(errorBox?.textContent).toBe("exceeds the model's output limit");
    // A problem no field shows is listed at the top.
    expect(screen.getByRole("list", { name: "Problems with this node" }).textContent).toContain("reads 'topic'");
  });

  it("checks a new name, and renames only to a valid, free name", () => {
    const { changes } = renderInspector({ node: { name: "chat", type: "llm", config: {} } });
    const name = screen.getByLabelText("Node name");

    fireEvent.change(name, { target: { value: "1st step" } });
    expect(screen.getByText(/start with a letter/)).toBeTruthy();
    fireEvent.blur(name);
    expect(changes).toEqual([]);

    fireEvent.change(name, { target: { value: "router" } });
    expect(screen.getByText("“router” is already used.")).toBeTruthy();
    fireEvent.blur(name);
    expect(changes).toEqual([]);

    fireEvent.change(name, { target: { value: "answer-1" } });
    expect(screen.queryByText(/already used|start with a letter/)).toBeNull();
    fireEvent.keyDown(name, { key: "Enter" });
    expect(changes.at(-1)).toEqual({ name: "answer-1", type: "llm", config: {} });
  });

  it("edits a human node's required answer as fields, and as JSON", () => {
    const { changes } = renderInspector({ node: { name: "review", type: "human", config: {} } });
    // The default approval schema reads as two fields.
    expect((screen.getByDisplayValue("approved") as HTMLInputElement).disabled).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "Add field" }));
    const schema = changes.at(-1)?.config.required_input_schema as Record<string, unknown>;
    expect(Object.keys(schema.properties as object)).toEqual(["approved", "comment", "field"]);
    expect(schema.required).toEqual(["approved"]);

    fireEvent.click(screen.getByRole("button", { name: "Edit as JSON" }));
    const raw = screen.getByLabelText("Required input as JSON Schema") as HTMLTextAreaElement;
    expect(JSON.parse(raw.value)).toEqual(schema);
  });

  it("shows a code node's source in the Python editor once it has loaded", async () => {
    const { container } = renderInspector({ node: { name: "calc", type: "code", config: {} } });
    const editor = await waitFor(
      () => {
        const found = container.querySelector(".cm-editor");
        expect(found).not.toBeNull();
        return found as HTMLElement;
      },
      { timeout: 5000 },
    );
    expect(editor.querySelector(".cm-content")?.getAttribute("aria-label")).toBe("Python code");
    expect(editor.textContent).toContain("def main(inputs: dict) -> dict:");
  });

  it.each(Object.keys(NODE_TYPES))("draws the %s node's form from its config schema without errors", async (type) => {
    const errors: unknown[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args) => void errors.push(args));
    const warn = vi.spyOn(console, "warn").mockImplementation((...args) => void errors.push(args));
    renderInspector({ node: { name: "step", type, config: {} } });
    await act(async () => {});
    expect(screen.getByText("Configuration")).toBeTruthy();
    expect(errors).toEqual([]);
    spy.mockRestore();
    warn.mockRestore();
  });

  it.each(Object.keys(NODE_TYPES))("shows the %s node's settings disabled when read-only", async (type) => {
    const { container } = renderInspector({ node: { name: "step", type, config: {} }, readOnly: true });
    await act(async () => {});
    expect(screen.getByText(/read-only/)).toBeTruthy();
    const controls = Array.from(container.querySelectorAll("input, select, textarea, button"));
    expect(controls.length).toBeGreaterThan(2);
    // Only switching how the input schema is shown stays available: it changes nothing.
    const enabled = controls.filter(
      (control) => !(control as HTMLInputElement).disabled && control.getAttribute("type") !== "hidden",
    );
    expect(enabled.map((control) => control.textContent || control.id)).toEqual(
      type === "human" ? ["Edit as JSON"] : [],
    );
    expect(container.querySelector(".cm-content[contenteditable='true']")).toBeNull();
  });
});

describe("the state schema editor", () => {
  const start: Record<string, StateKey> = {
    messages: { type: "array", reducer: "add_messages" },
    answer: { type: "string" },
  };

  it("adds a key, renames it in place, and removes one", () => {
    const { changes } = renderStateEditor(start);
    fireEvent.click(screen.getByRole("button", { name: "Add state key" }));
    expect(changes.at(-1)).toEqual({ ...start, key: { type: "any", reducer: "replace" } });

    const names = screen.getAllByLabelText("Key") as HTMLInputElement[];
    const added = names[2]!;
    fireEvent.change(added, { target: { value: "1topic" } });
    fireEvent.blur(added);
    expect(screen.getByText(/do not start with a digit/)).toBeTruthy();
    fireEvent.change(added, { target: { value: "answer" } });
    expect(screen.getByText("“answer” is already used.")).toBeTruthy();
    fireEvent.change(added, { target: { value: "topic" } });
    fireEvent.blur(added);
    expect(Object.keys(changes.at(-1)!)).toEqual(["messages", "answer", "topic"]);
    expect(changes).toHaveLength(2);

    fireEvent.click(screen.getByRole("button", { name: "Remove state key answer" }));
    expect(changes.at(-1)).toEqual({ messages: start.messages, topic: { type: "any", reducer: "replace" } });
  });

  it("chooses a reducer and explains it; a default is JSON", () => {
    const { changes } = renderStateEditor(start);
    const reducers = screen.getAllByLabelText("Reducer");
    expect(screen.getByText(/a message with a known id replaces that one/)).toBeTruthy();
    fireEvent.change(reducers[1]!, { target: { value: "append" } });
    expect(changes.at(-1)?.answer).toEqual({ type: "string", reducer: "append" });
    expect(screen.getByText("Each write adds items to the end of the list.")).toBeTruthy();

    const defaults = screen.getAllByLabelText("Default (JSON)");
    fireEvent.change(defaults[1]!, { target: { value: "[oops" } });
    expect(screen.getByText(/Not valid JSON/)).toBeTruthy();
    fireEvent.change(defaults[1]!, { target: { value: '["hello"]' } });
    expect(changes.at(-1)?.answer).toEqual({ type: "string", reducer: "append", default: ["hello"] });
  });

  it("shows a problem on the key and part it names", () => {
    renderStateEditor(start, [
      { path: "/answer/type", message: "unknown type 'text'" },
      { path: "", message: "the state needs a messages key" },
    ]);
    expect(screen.getByText("unknown type 'text'")).toBeTruthy();
    expect(screen.getByRole("list", { name: "Problems with the state schema" }).textContent).toContain(
      "the state needs a messages key",
    );
  });
});

describe("config form pieces", () => {
  it("draws anyOf [key, null] as one nullable field and keeps a config as short as it was", () => {
    const schema = displaySchema(NODE_TYPES.llm!.config_schema as never);
    expect((schema.properties as Record<string, Record<string, unknown>>).output_key).toEqual({
      type: ["string", "null"],
      pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$",
    });
    const defaults = { temperature: 0.7, stream: true };
    expect(configFromForm({ temperature: 0.7, stream: false }, {}, defaults)).toEqual({ stream: false });
    expect(configFromForm({ temperature: 0.7, stream: true }, { temperature: 0.7 }, defaults)).toEqual({
      temperature: 0.7,
    });
    expect(configFromForm({ temperature: undefined }, { temperature: 0.3 }, defaults)).toEqual({});
  });

  it("reads a simple input schema as fields and renames a field in place", () => {
    const schema = {
      type: "object",
      required: ["ok"],
      properties: { ok: { type: "boolean" }, note: { type: "string", maxLength: 9 } },
    };
    expect(inputFields(schema)).toEqual([
      { name: "ok", type: "boolean", required: true, title: "" },
      { name: "note", type: "string", required: false, title: "" },
    ]);
    const renamed = changeField(schema, "ok", { name: "approved", title: "Approve?" });
    expect(renamed).toEqual({
      type: "object",
      required: ["approved"],
      properties: { approved: { type: "boolean", title: "Approve?" }, note: { type: "string", maxLength: 9 } },
    });
    expect(Object.keys((addField(renamed, "note") as { properties: object }).properties)).toEqual([
      "approved",
      "note",
      "note_2",
    ]);
    expect(inputFields({ type: "object", properties: { tags: { type: "array" } } })).toBeNull();
  });
});
