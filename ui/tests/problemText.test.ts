// @vitest-environment jsdom
/**
 * Validation problems and "test connection" failures in the reader's language: every code the
 * API documents has a text in zh-CN and en, a problem is said from its code with its params (on
 * the builder's nodes, in its problems list, under form fields), and the server's English
 * message stands in for a code this UI does not know.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import i18next from "i18next";
import { createElement } from "react";
import { MemoryRouter } from "react-router";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ServicesContext } from "../src/app/context";
import { ConnectionResult } from "../src/features/providers/ConnectionTest";
import { Builder } from "../src/features/studio/builder/Builder";
import { emptyDefinition, type WorkflowDefinition } from "../src/features/studio/builder/definition";
import { placeProblems as placeOnForm } from "../src/features/studio/builder/inspector/configForm";
import { localizeProblems, placeProblems, stateKeyFix } from "../src/features/studio/builder/problems";
import { LANGUAGES, loadResources } from "../src/lib/i18n";
import { problemText } from "../src/lib/problemText";
import { nodeType } from "./helpers/agentGraphs";
import { stubCanvasDom, stubDialogs } from "./helpers/canvasDom";
import { json, problem, scriptedFetch } from "./helpers/http";
import { renderWithServices, signedInServices, text } from "./helpers/services";

type Schema = { enum?: string[]; anyOf?: Schema[]; properties?: Record<string, Schema> };
const openapi = JSON.parse(readFileSync(join(process.cwd(), "openapi.json"), "utf-8")) as {
  components: { schemas: Record<string, Schema> };
};
const resources = loadResources() as Record<string, Record<string, Record<string, Record<string, string>>>>;

/** The text of `code` (`area.name`) in `language`, or undefined. */
const textOf = (language: string, code: string): string | undefined => {
  const [area, name] = code.split(".") as [string, string];
  return resources[language]?.problems?.[area]?.[name];
};
const placeholders = (template: string) => [...template.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

const PROBLEM_CODES = openapi.components.schemas.ProblemCode?.enum ?? [];
const reasonSchema = openapi.components.schemas.ServiceConfigTestResult?.properties?.reason;
const PROBE_REASONS = [reasonSchema?.enum ?? [], ...(reasonSchema?.anyOf ?? []).map((s) => s.enum ?? [])].flat();

beforeAll(() => {
  stubCanvasDom();
  stubDialogs();
});

afterEach(async () => {
  cleanup();
  await i18next.changeLanguage("en");
});

describe("problem texts", () => {
  it("has a text in zh-CN and en for every code the API documents, naming the same params", () => {
    expect(PROBLEM_CODES.length).toBeGreaterThan(40);
    expect(PROBE_REASONS).toContain("unauthorized");
    const codes = [...PROBLEM_CODES, ...PROBE_REASONS.map((reason) => `probe.${reason}`)];
    const missing = codes.flatMap((code) =>
      LANGUAGES.filter((lng) => !textOf(lng, code)).map((lng) => `${lng} ${code}`),
    );
    expect(missing).toEqual([]);
    const differing = codes.filter(
      (code) => placeholders(textOf("en", code)!).join() !== placeholders(textOf("zh-CN", code)!).join(),
    );
    expect(differing).toEqual([]);
  });

  it("says a problem in Chinese from its code and params", async () => {
    await i18next.changeLanguage("zh-CN");
    const unreachable = {
      code: "node.unreachable",
      params: { node: "router" },
      message: "node 'router' is unreachable",
    };
    expect(problemText(unreachable, i18next)).toEqual({ text: "从开始无法到达节点“router”。", lang: "zh-CN" });
    const syntax = { code: "expression.syntax", params: { position: 3, detail: "invalid syntax" }, message: "x" };
    expect(problemText(syntax, i18next).text).toBe("语法错误（位置 3）：invalid syntax");
    await i18next.changeLanguage("en");
    expect(problemText(unreachable, i18next)).toEqual({
      text: "Node “router” cannot be reached from the start.",
      lang: "en",
    });
  });

  it("falls back to the server's message for an unknown code or a missing param", async () => {
    await i18next.changeLanguage("zh-CN");
    const newer = { code: "node.something_new", params: {}, message: "a newer server's problem" };
    expect(problemText(newer, i18next)).toEqual({ text: "a newer server's problem", lang: "en" });
    const holed = { code: "node.unreachable", params: {}, message: "node 'x' is unreachable from __start__" };
    expect(problemText(holed, i18next).text).toBe("node 'x' is unreachable from __start__");
    expect(problemText({ message: "no code at all" }, i18next).text).toBe("no code at all");
  });

  it("keeps the server's wording for the state-key fixes and places a required field by its code", async () => {
    await i18next.changeLanguage("zh-CN");
    const d = emptyDefinition();
    const errors = [
      {
        path: "/body/workflow_definition/output",
        message: "unknown state key 'route'",
        code: "state.unknown_key" as const,
        params: { key: "route" },
      },
    ];
    const [placed] = localizeProblems(placeProblems(errors, d, d), i18next);
    expect(placed?.message).toBe("未知的状态键“route”。");
    expect(stateKeyFix(placed!)).toEqual({ key: "route", fix: "declare" });

    const schema = { type: "object", properties: { cases: { type: "array" } } };
    const required = {
      path: "/config",
      message: "缺少必填项“cases”。",
      code: "schema.required",
      params: { property: "cases" },
    };
    const { errorSchema, other } = placeOnForm([required], "/config", schema, "必填");
    expect(errorSchema).toEqual({ cases: { __errors: ["必填"] } });
    expect(other).toEqual([]);
  });
});

describe("the builder in Chinese", () => {
  it("shows the router's problem in Chinese on the node and in the problems list", async () => {
    await i18next.changeLanguage("zh-CN");
    const initial: WorkflowDefinition = {
      ...emptyDefinition(),
      nodes: [{ name: "router_1", type: "router", config: {} }],
    };
    const coded = {
      path: "/body/workflow_definition/nodes/0",
      message: "node 'router_1' is unreachable from __start__",
      code: "node.unreachable",
      params: { node: "router_1" },
    };
    const http = scriptedFetch({
      "POST /api/v1/developer/definitions/validate": () =>
        problem(422, "the workflow definition has problems", [coded]),
      "GET /api/v1/service-configs": () => json(200, { items: [], total: 0, limit: 200, offset: 0 }),
      "GET /api/v1/tools": () => json(200, { items: [], total: 0, limit: 200, offset: 0 }),
      "GET /api/v1/knowledge-bases": () => json(200, { items: [], total: 0, limit: 200, offset: 0 }),
    });
    const { services, queryClient } = signedInServices(http.fetch);
    render(
      createElement(
        ServicesContext.Provider,
        { value: services },
        createElement(
          QueryClientProvider,
          { client: queryClient },
          createElement(
            MemoryRouter,
            null,
            createElement(Builder, {
              initial,
              nodeTypes: [nodeType("router", "Router", "control", { cases: [], default: null })],
              agentId: null,
              suggestedVersion: "1.0.0",
              readOnly: false,
              title: "新智能体",
              onSaved: () => {},
            }),
          ),
        ),
      ),
    );
    const said = "从开始无法到达节点“router_1”。";
    const list = await screen.findByRole("region", { name: /1 个问题/ }, { timeout: 3000 });
    const entry = within(list).getByText(said);
    expect(entry.getAttribute("lang")).toBe("zh-CN");
    const node = document.querySelector('.react-flow__node[data-id="router_1"] [title]');
    await waitFor(() => expect(node?.getAttribute("title")).toBe(said));
  });
});

describe("test connection in Chinese", () => {
  it("says why it failed by its reason code, and in the provider's words for an unknown one", async () => {
    await i18next.changeLanguage("zh-CN");
    const failed = (reason: string | null) =>
      text(
        renderWithServices(
          createElement(ConnectionResult, {
            result: {
              ok: false,
              message: "the provider refused the API key (Incorrect API key provided)",
              model: "gpt-4o-mini",
              latency_ms: null,
              reason: reason as "unauthorized",
              params: { detail: "Incorrect API key provided" },
            },
          }),
        ),
      );
    expect(failed("unauthorized")).toContain("连接失败：提供商拒绝了这个 API 密钥（Incorrect API key provided）。");
    expect(failed("from_the_future")).toContain("连接失败：the provider refused the API key");
    expect(failed(null)).toContain("连接失败：the provider refused the API key");
  });
});
