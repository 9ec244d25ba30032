/**
 * Studio: a template drawn as the live graph draws a version, its parameters as listed, the
 * gallery's search, and what the agent page and the templates gallery show in English and Chinese.
 */

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next from "i18next";
import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import type { Page } from "../src/api/types";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { ChatStore } from "../src/features/chat/chatStore";
import { ApiError } from "../src/api/problem";
import { placeServerErrors } from "../src/components/schemaFormErrors";
import {
  createFromTemplate,
  studioKeys,
  type StudioAgentDetail,
  type TemplateDetail,
  type TemplateSummary,
  type VersionSummary,
} from "../src/features/studio/api";
import { parametersOf } from "../src/features/studio/parameters";
import { StudioAgentPage, canSubmit, shownVersion } from "../src/features/studio/StudioAgentPage";
import { templateGraph } from "../src/features/studio/templateGraph";
import { TemplatesPage, matchesTemplate } from "../src/features/studio/TemplatesPage";
import { createQueryClient } from "../src/lib/queryClient";
import { SessionStore } from "../src/session/sessionStore";
import { json, problem, scriptedFetch } from "./helpers/http";

const summary: TemplateSummary = {
  id: "t1",
  name: "support_triage",
  display_name: "Customer support triage",
  description: "Sorts tickets and escalates",
  category: "customer service",
  version: "1.0.0",
  status: "active",
  usage_count: 3,
  shared: true,
  updated_at: "2030-06-01T10:00:00Z",
};

const node = (name: string, type: string, position: Record<string, unknown> = {}) => ({
  node_name: name,
  node_type: type,
  node_config: {},
  position_config: position,
  parent_nodes: [],
  child_nodes: [],
});

const edge = (patch: Partial<TemplateDetail["edges"][number]>): TemplateDetail["edges"][number] => ({
  from_node: "__start__",
  to_node: null,
  edge_type: "normal",
  condition_function: null,
  condition_mapping: null,
  fanout_targets: [],
  fanout_condition: null,
  execution_order: 0,
  ...patch,
});

const template: TemplateDetail = {
  ...summary,
  template_definition: { nodes: [{ name: "classify", type: "llm", description: "Reads the ticket" }] },
  parameter_schema: {
    type: "object",
    required: ["queue"],
    properties: {
      queue: { type: "string", description: "Where tickets go" },
      model: { type: ["string", "null"], default: null },
      temperature: { type: "number", default: 0.7 },
    },
  },
  nodes: [
    node("classify", "llm", { x: 10, y: 20 }),
    node("route", "router"),
    node("human", "human"),
    node("a", "llm"),
    node("b", "llm"),
  ],
  edges: [
    edge({ from_node: "__start__", to_node: "classify", execution_order: 0 }),
    edge({
      from_node: "classify",
      edge_type: "conditional",
      condition_function: "state.urgent",
      condition_mapping: { mapping: { yes: "human", no: "route", maybe: "human" }, default: "__end__" },
      execution_order: 1,
    }),
    edge({
      from_node: "route",
      edge_type: "fanout",
      fanout_targets: ["a", "b"],
      execution_order: 2,
    }),
    edge({
      from_node: "human",
      edge_type: "fanout",
      fanout_targets: ["a"],
      fanout_condition: { over: "items", item_key: "ticket", include: [] },
      execution_order: 3,
    }),
  ],
};

describe("templateGraph", () => {
  const graph = templateGraph(
    template,
    new Map([
      ["llm", "activity"],
      ["human", "human"],
      ["router", "bogus"],
    ]),
  );

  it("puts the start and end markers around the nodes, with positions, descriptions and executions", () => {
    expect(graph.nodes.map((n) => `${n.role}:${n.id}`)).toEqual([
      "start:__start__",
      "node:classify",
      "node:route",
      "node:human",
      "node:a",
      "node:b",
      "end:__end__",
    ]);
    const classify = graph.nodes[1]!;
    expect(classify.position).toEqual({ x: 10, y: 20 });
    expect(classify.description).toBe("Reads the ticket");
    expect(classify.execution).toBe("activity");
    expect(graph.nodes[2]!.position).toBeNull();
    expect(graph.nodes[2]!.execution).toBeNull(); // an unknown execution is not made up
    expect(graph.name).toBe("Customer support triage");
  });

  it("draws a conditional edge once per target, outcomes sorted, the default marked", () => {
    const conditional = graph.edges.filter((e) => e.group === 1);
    expect(conditional.map((e) => [e.target, e.outcomes, e.is_default])).toEqual([
      ["human", ["maybe", "yes"], false],
      ["route", ["no"], false],
      ["__end__", [], true],
    ]);
    expect(conditional.every((e) => e.kind === "conditional" && e.condition === "state.urgent")).toBe(true);
    expect(conditional[0]!.id).toBe("1:classify->human");
  });

  it("draws static fan-outs per target and dynamic ones over their list", () => {
    const fixed = graph.edges.filter((e) => e.group === 2);
    expect(fixed.map((e) => e.target)).toEqual(["a", "b"]);
    expect(fixed[0]!.fan_out).toEqual({ dynamic: false, over: null, item_key: null, targets: 2 });
    const dynamic = graph.edges.find((e) => e.group === 3)!;
    expect(dynamic.kind).toBe("fan_out");
    expect(dynamic.fan_out).toEqual({ dynamic: true, over: "items", item_key: "ticket", targets: 1 });
    expect(graph.edges[0]).toMatchObject({ source: "__start__", target: "classify", kind: "normal" });
  });
});

describe("template parameters and search", () => {
  it("lists each parameter with its type, whether required and its default", () => {
    expect(parametersOf(template.parameter_schema)).toEqual([
      { name: "queue", types: ["string"], required: true, defaultText: null, description: "Where tickets go" },
      { name: "model", types: ["string"], required: false, defaultText: null, description: null },
      { name: "temperature", types: ["number"], required: false, defaultText: "0.7", description: null },
    ]);
    expect(parametersOf({ type: "object" })).toEqual([]);
  });

  it("finds templates by name, description or category", () => {
    expect(matchesTemplate(summary, "TRIAGE")).toBe(true);
    expect(matchesTemplate(summary, "escalates")).toBe(true);
    expect(matchesTemplate(summary, "customer")).toBe(true);
    expect(matchesTemplate(summary, "poetry")).toBe(false);
    expect(matchesTemplate(summary, "  ")).toBe(true);
  });
});

const version = (id: string, status: string, patch: Partial<VersionSummary> = {}): VersionSummary => ({
  id,
  version: id,
  status,
  is_current: false,
  plan_hash: "h",
  changelog: null,
  created_at: "2030-06-01T10:00:00Z",
  published_at: null,
  ...patch,
});

describe("versions", () => {
  it("offers review for drafts and rejected versions only", () => {
    expect(["draft", "rejected", "submitted", "published", "archived"].filter((s) => canSubmit({ status: s }))).toEqual(
      ["draft", "rejected"],
    );
  });

  it("shows the current version first, else the newest", () => {
    expect(shownVersion([version("2.0.0", "draft"), version("1.0.0", "published", { is_current: true })])?.id).toBe(
      "1.0.0",
    );
    expect(shownVersion([version("2.0.0", "draft"), version("1.0.0", "draft")])?.id).toBe("2.0.0");
    expect(shownVersion([])).toBeNull();
  });
});

function services(): Services {
  const tokens = new TokenStore(memoryStorage());
  const client = new ApiClient({ fetch: scriptedFetch({}).fetch, tokens });
  return {
    client,
    chats: new ChatStore(client),
    session: new SessionStore(client, tokens, () => {}),
    queries: createQueryClient(),
  };
}

function render(node: ReactNode, fill: (client: QueryClient) => void) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  fill(queryClient);
  return renderToStaticMarkup(
    createElement(
      ServicesContext.Provider,
      { value: services() },
      createElement(QueryClientProvider, { client: queryClient }, createElement(MemoryRouter, null, node)),
    ),
  );
}

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

const agent: StudioAgentDetail = {
  id: "a1",
  name: "Helpdesk",
  description: "Answers staff",
  category_id: null,
  tags: [],
  status: "draft",
  developer_id: "d1",
  download_count: 0,
  average_rating: null,
  created_at: "2030-06-01T10:00:00Z",
  updated_at: "2030-06-01T10:00:00Z",
  published_at: null,
  versions: [
    version("1.1.0", "submitted", { changelog: "Shorter answers" }),
    version("1.0.0", "draft"),
    version("0.9.0", "rejected", { review_note: "Say who it is for" }),
  ],
};

afterEach(async () => {
  await i18next.changeLanguage("en");
});

describe("studio pages", () => {
  const fillAgent = (client: QueryClient) => client.setQueryData(studioKeys.agent("a1"), agent);

  it("shows an agent's versions with their status, changelog and the actions each allows", () => {
    const html = render(createElement(StudioAgentPage, { agentId: "a1" }), fillAgent);
    const shown = text(html);
    expect(shown).toContain("Helpdesk");
    expect(shown).toContain("Version 1.1.0 pending review");
    expect(shown).toContain("Shorter answers");
    expect(shown).toContain("Version 1.0.0 draft");
    expect(shown).toContain("Rejected because: Say who it is for");
    // The draft and the rejected version can be submitted again; each one can be archived.
    expect(html.match(/Submit for review/g)).toHaveLength(2);
    expect(html.match(/button--small">Archive</g)).toHaveLength(3);
    expect(shown).toContain("Graph of version 1.1.0");
  });

  it("speaks Chinese on the agent page", async () => {
    await i18next.changeLanguage("zh-CN");
    const shown = text(render(createElement(StudioAgentPage, { agentId: "a1" }), fillAgent));
    expect(shown).toContain("待审核");
    expect(shown).toContain("草稿");
    expect(shown).toContain("提交审核");
    expect(shown).toContain("驳回原因： Say who it is for");
  });

  it("lists templates with their category and use, each linking to its page", async () => {
    const page: Page<TemplateSummary> = { items: [summary], total: 1, limit: 200, offset: 0 };
    const fill = (client: QueryClient) => client.setQueryData(studioKeys.templates, page);
    const html = render(createElement(TemplatesPage), fill);
    expect(html).toContain('href="/studio/templates/t1"');
    expect(text(html)).toContain("customer service");
    expect(text(html)).toContain("Used 3 times");
    await i18next.changeLanguage("zh-CN");
    const zh = text(render(createElement(TemplatesPage), fill));
    expect(zh).toContain("客服工单分流");
    expect(zh).toContain("客户服务");
    expect(zh).toContain("已使用 3 次");
  });
});

describe("creating an agent from a template", () => {
  const input = {
    templateId: "t1",
    name: "  Helpdesk ",
    description: "",
    changelog: "First version",
    parameters: { queue: "" },
  };
  const client = (fetch: ReturnType<typeof scriptedFetch>["fetch"]) => {
    const tokens = new TokenStore(memoryStorage());
    tokens.set({
      access_token: "access",
      refresh_token: "refresh",
      token_type: "bearer",
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      tenant_id: "t",
      role: "developer",
    });
    return new ApiClient({ fetch, tokens });
  };

  it("creates the agent, then version 1.0.0 from the template; a refused version keeps the agent for the retry", async () => {
    const http = scriptedFetch({
      "POST /api/v1/developer/agents": [() => json(201, { id: "a1" })],
      "POST /api/v1/developer/agents/a1/versions": [
        () => problem(422, "invalid parameters", [{ path: "/body/template_parameters/queue", message: "too short" }]),
        () => json(201, { id: "v1", agent_id: "a1", version: "1.0.0" }),
      ],
    });
    let kept: string | null = null;
    const failed = await createFromTemplate(client(http.fetch), input, kept, (id) => (kept = id)).catch(
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(ApiError);
    expect(kept).toBe("a1");
    expect(http.calls[0]!.body).toEqual({ name: "Helpdesk", description: null });
    expect(http.calls[1]!.body).toEqual({
      version: "1.0.0",
      workflow_template_id: "t1",
      template_parameters: { queue: "" },
      changelog: "First version",
    });
    // The 422's path lands on the parameter's field.
    const placed = placeServerErrors((failed as ApiError).errors, {
      prefixes: ["/body/template_parameters"],
      schema: template.parameter_schema,
      requiredMessage: "required",
    });
    expect(placed.errorSchema).toEqual({ queue: { __errors: ["too short"] } });

    const made = await createFromTemplate(client(http.fetch), input, kept, () => {
      throw new Error("no second agent");
    });
    expect(made.agent_id).toBe("a1");
    expect(http.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "POST /api/v1/developer/agents",
      "POST /api/v1/developer/agents/a1/versions",
      "POST /api/v1/developer/agents/a1/versions",
    ]);
    expect(http.unexpected).toEqual([]);
  });
});
