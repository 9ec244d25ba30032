/**
 * Model providers and service configs: the API key is write-only (never sent back into a form,
 * sent on edit only when a new one is typed, shown masked), the connection test's result in
 * plain words, and a 422 placed under the fields it names.
 */

import i18next from "i18next";
import { createElement, type ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import type { FetchLike } from "../src/api/client";
import { ApiError } from "../src/api/problem";
import { createConfigMutation, testConnection, type ServiceConfig } from "../src/features/providers/api";
import { ConfigForm } from "../src/features/providers/ConfigForm";
import { ConfigRow } from "../src/features/providers/ConfigRow";
import { ConnectionResult } from "../src/features/providers/ConnectionTest";
import {
  configCreateBody,
  configFormOf,
  configUpdateBody,
  emptyProviderForm,
  placeProblem,
  providerFormErrors,
} from "../src/features/providers/forms";
import { json, problem, scriptedFetch } from "./helpers/http";
import { clientWith as signedIn, renderWithServices, text } from "./helpers/services";

const KEY = "sk-live-0123456789abcdef";

const config: ServiceConfig = {
  provider_id: 3,
  config_id: 7,
  service_name: "gpt-mini",
  service_display_name: "GPT mini",
  service_type: "llm",
  model: "gpt-4o-mini",
  params: {},
  pricing: null,
  limits: {},
  is_default: false,
  is_active: true,
  has_credentials: true,
  credentials_hint: "sk-…cdef",
  created_at: "2030-06-01T10:00:00Z",
  updated_at: "2030-06-01T10:00:00Z",
};

const clientWith = (fetch: FetchLike) => signedIn(fetch, "admin");
const render = (node: ReactNode) => renderWithServices(node, "admin");
const row = (c: ServiceConfig) =>
  createElement(
    "table",
    null,
    createElement(
      "tbody",
      null,
      createElement(ConfigRow, { config: c, providerName: "OpenAI", columns: 5, onDelete: () => {} }),
    ),
  );

afterEach(async () => {
  await i18next.changeLanguage("en");
});

describe("the API key is write-only", () => {
  it("is sent when a config is created, and the saved config comes back with a masked hint only", async () => {
    const http = scriptedFetch({ "POST /api/v1/service-configs": () => json(201, config) });
    const client = clientWith(http.fetch);
    const form = { ...configFormOf(config), service_name: "gpt-mini", api_key: `  ${KEY} ` };
    const saved = await createConfigMutation(client).mutationFn!(configCreateBody(form), undefined as never);
    expect(http.calls[0]!.body).toMatchObject({ provider_id: 3, service_name: "gpt-mini", api_key: KEY });
    // What the list shows of the saved config: the hint, never the key.
    const html = render(row(saved));
    expect(text(html)).toContain("sk-…cdef");
    expect(html).not.toContain(KEY);
    expect(html).toContain('title="Masked: the key itself is never shown"');
  });

  it("starts an edit with an empty key field that says a key is stored, and keeps it unless a new one is typed", () => {
    const form = configFormOf(config);
    expect(form.api_key).toBe("");
    const html = render(createElement(ConfigForm, { config }));
    expect(html).toMatch(/<input[^>]*type="password"[^>]*value=""/);
    expect(html).toContain('autoComplete="new-password"');
    expect(text(html)).toContain("A key is stored (sk-…cdef). Leave empty to keep it");
    expect(text(html)).toContain("Remove the stored key");

    const kept = configUpdateBody({ ...form, model: "gpt-4.1-mini" });
    expect(kept).not.toHaveProperty("api_key");
    expect(kept).not.toHaveProperty("clear_api_key");
    expect(kept.model).toBe("gpt-4.1-mini");
    expect(configUpdateBody({ ...form, api_key: "sk-new-key" })).toMatchObject({ api_key: "sk-new-key" });
    expect(configUpdateBody({ ...form, clear_api_key: true })).toMatchObject({ clear_api_key: true });
    // A typed key wins over "remove": the server refuses both at once.
    expect(configUpdateBody({ ...form, api_key: "sk-new", clear_api_key: true })).not.toHaveProperty("clear_api_key");
  });

  it("says so when no key is stored", () => {
    const keyless = { ...config, has_credentials: false, credentials_hint: null };
    expect(text(render(row(keyless)))).toContain("no key");
    expect(text(render(createElement(ConfigForm, { config: keyless })))).toContain("No key is stored");
  });
});

describe("test connection", () => {
  it("posts to the config's test route", async () => {
    const answer = { ok: true, message: "ok", latency_ms: 231.4, model: "gpt-4o-mini" };
    const http = scriptedFetch({ "POST /api/v1/service-configs/7/test": () => json(200, answer) });
    expect(await testConnection(clientWith(http.fetch), 7)).toEqual(answer);
    expect(http.calls).toHaveLength(1);
  });

  it("reports a working connection with its latency, and a failed one with the provider's reason", async () => {
    const ok = text(
      render(
        createElement(ConnectionResult, { result: { ok: true, message: "", latency_ms: 231.4, model: "gpt-4o-mini" } }),
      ),
    );
    expect(ok).toContain("Connected: gpt-4o-mini answered in 231 ms.");
    const untimed = text(
      render(createElement(ConnectionResult, { result: { ok: true, message: "", latency_ms: null, model: "glm-4" } })),
    );
    expect(untimed).toContain("Connected: glm-4 answered.");
    const failed = render(
      createElement(ConnectionResult, {
        result: { ok: false, message: "Incorrect API key provided", latency_ms: null, model: "gpt-4o-mini" },
      }),
    );
    expect(text(failed)).toContain("Connection failed: Incorrect API key provided");
    expect(failed).toContain("connection-result--bad");
    await i18next.changeLanguage("zh-CN");
    const zh = text(
      render(createElement(ConnectionResult, { result: { ok: true, message: "", latency_ms: 1234, model: "glm-4" } })),
    );
    expect(zh).toContain("连接成功：glm-4 在 1,234 毫秒内响应。");
  });

  it("offers the test on each config's row", () => {
    expect(text(render(row(config)))).toContain("Test connection");
  });
});

describe("provider and config forms", () => {
  const t = i18next.getFixedT("en");

  it("asks for the address of an OpenAI-compatible server, and for a valid name", () => {
    const form = { ...emptyProviderForm(), provider_name: "local vllm", kind: "openai_compatible" as const };
    const errors = providerFormErrors(form, false, t);
    expect(errors.provider_name).toMatch(/letters, digits/);
    expect(errors.base_url).toBe("An OpenAI-compatible server needs its address.");
    expect(
      providerFormErrors({ ...form, provider_name: "vllm", base_url: "http://u:p@vllm:8000/v1" }, false, t),
    ).toEqual({
      base_url: "Leave user names and passwords out of the address; put the key on the service config.",
    });
    expect(providerFormErrors({ ...form, provider_name: "vllm", base_url: "http://vllm:8000/v1" }, false, t)).toEqual(
      {},
    );
  });

  it("puts a 422's messages under the fields they name and keeps the rest for the form", async () => {
    const http = scriptedFetch({
      "POST /api/v1/service-configs": () =>
        problem(422, "invalid input", [
          { path: "/body/model", message: "String should have at least 1 character" },
          { path: "/body/params", message: "unknown model params" },
        ]),
    });
    const failed = await createConfigMutation(clientWith(http.fetch)).mutationFn!(
      configCreateBody({ ...configFormOf(config), model: "x" }),
      undefined as never,
    ).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ApiError);
    const placed = placeProblem(failed, ["model", "api_key"]);
    expect(placed.fields).toEqual({ model: "String should have at least 1 character" });
    expect(placed.rest?.errors).toEqual([{ path: "/body/params", message: "unknown model params" }]);
    expect(
      placeProblem(new ApiError({ status: 409, title: "Conflict", detail: "taken" }), ["model"]).rest?.detail,
    ).toBe("taken");
    expect(placeProblem(null, ["model"])).toEqual({ fields: {}, rest: null });
  });
});
