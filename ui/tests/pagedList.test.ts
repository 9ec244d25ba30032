/**
 * The one admin list pattern, as people see it: lists rendered from a filled query cache (the
 * way TanStack Query hands a page to the list), in English and in Chinese.
 */

import { createQueryClient } from "../src/lib/queryClient";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next, { type i18n as I18n } from "i18next";
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiKey } from "../src/api/apiKeys";
import { ApiClient } from "../src/api/client";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import type { Tool, ToolGrant, ToolServer } from "../src/api/tools";
import type { Me, Page } from "../src/api/types";
import type { TenantUser } from "../src/api/users";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { ApiKeysSection } from "../src/features/account/ApiKeysSection";
import { NewKeyReveal } from "../src/features/account/NewKeyReveal";
import { accountKeys } from "../src/features/account/queries";
import { ToolGrantsSection } from "../src/features/account/ToolGrantsSection";
import { adminKeys } from "../src/features/admin/queries";
import { UsersPanel } from "../src/features/admin/UsersPanel";
import { toolKeys } from "../src/features/tools/queries";
import { ToolCatalog } from "../src/features/tools/ToolCatalog";
import { ChatStore } from "../src/features/chat/chatStore";
import { SessionStore } from "../src/session/sessionStore";
import { scriptedFetch } from "./helpers/http";

const me: Me = {
  id: "u1",
  email: "ann@acme.io",
  display_name: "Ann",
  role: "admin",
  tenant_id: "t",
  tenant_name: "acme",
  tenant_display_name: "Acme",
};

const user = (id: string, email: string, extra: Partial<TenantUser> = {}): TenantUser =>
  ({
    id,
    email,
    display_name: null,
    role: "user",
    status: "active",
    last_login_at: null,
    created_at: "2030-01-01T00:00:00Z",
    updated_at: "2030-01-01T00:00:00Z",
    ...extra,
  }) as TenantUser;

const page = <T>(items: T[], total = items.length, limit = 50): Page<T> =>
  ({ items, total, limit, offset: 0 }) as Page<T>;

/** The cache key of a list's first page, as `usePagedList` asks for it. */
const firstPage = (prefix: readonly unknown[], filter: object = {}, limit = 50) => [
  ...prefix,
  { filter, q: undefined, limit, offset: 0 },
];

function services(): Services {
  const tokens = new TokenStore(memoryStorage());
  const { fetch } = scriptedFetch({});
  const client = new ApiClient({ fetch, tokens });
  return {
    client,
    chats: new ChatStore(client),
    session: new SessionStore(client, tokens, () => {}),
    queries: createQueryClient(),
  };
}

function render(element: ReactElement, cache: QueryClient, i18n: I18n = i18next): string {
  return renderToStaticMarkup(
    createElement(
      I18nextProvider,
      { i18n },
      createElement(
        ServicesContext.Provider,
        { value: services() },
        createElement(QueryClientProvider, { client: cache }, element),
      ),
    ),
  );
}

function cacheWith(...entries: [readonly unknown[], unknown][]): QueryClient {
  const cache = new QueryClient();
  for (const [key, data] of entries) cache.setQueryData(key, data);
  return cache;
}

let chinese: I18n;
beforeAll(async () => {
  chinese = i18next.cloneInstance({ lng: "zh-CN" });
  await chinese.changeLanguage("zh-CN");
});

describe("the users list", () => {
  const users = page([user("u1", "ann@acme.io", { display_name: "Ann", role: "admin" }), user("u2", "bob@acme.io")]);

  it("shows each user as a row whose cells name their column, and no pager for one page", () => {
    const html = render(createElement(UsersPanel, { me }), cacheWith([firstPage(adminKeys.users), users]));
    expect(html).toContain("ann@acme.io");
    expect(html).toContain("bob@acme.io");
    expect(html).toContain('<td data-label="Role">');
    expect(html).toContain('<td data-label="Last login">never</td>');
    expect(html).toContain("2 users");
    // You cannot deactivate yourself; others can be.
    expect(html).not.toContain('aria-label="Deactivate Ann"');
    expect(html).toContain('aria-label="Deactivate bob@acme.io"');
    expect(html).toContain('<input type="search"');
    expect(html).not.toContain('aria-label="User pages"');
  });

  it("pages when there are more users than fit on one page", () => {
    const html = render(
      createElement(UsersPanel, { me }),
      cacheWith([firstPage(adminKeys.users), page(users.items, 120)]),
    );
    expect(html).toContain('aria-label="User pages"');
    expect(html).toContain("120 users");
  });

  it("speaks Chinese when the reader does", () => {
    const html = render(createElement(UsersPanel, { me }), cacheWith([firstPage(adminKeys.users), users]), chinese);
    expect(html).toContain('<h2 id="users-title">成员</h2>');
    expect(html).toContain('<td data-label="角色">');
    expect(html).toContain("管理员");
    expect(html).toContain("添加成员");
    expect(html).not.toContain("Add a user");
  });
});

describe("the API keys list", () => {
  const key = (id: string, name: string, revoked: string | null): ApiKey =>
    ({
      id,
      name,
      key_prefix: id,
      scopes: ["chat:read"],
      expires_at: null,
      last_used_at: null,
      revoked_at: revoked,
      created_at: "2030-01-01T00:00:00Z",
    }) as ApiKey;

  it("offers to revoke active keys only and marks revoked ones", () => {
    const keys = page([key("k1", "ci", null), key("k2", "old", "2030-01-02T00:00:00Z")], 2, 2);
    const html = render(createElement(ApiKeysSection), cacheWith([firstPage(accountKeys.apiKeys, {}, 50), keys]));
    expect(html).toContain('aria-label="Revoke ci"');
    expect(html).not.toContain('aria-label="Revoke old"');
    expect(html).toContain('<span class="badge badge--muted">revoked</span>');
    expect(html).toContain("Create a key");
  });

  it("shows a new key's secret once, with the warning", () => {
    const created = { ...key("k3", "deploy", null), key: "apk_acme_s3cret" };
    const html = renderToStaticMarkup(createElement(NewKeyReveal, { created, onDone: () => {} }));
    expect(html).toContain('value="apk_acme_s3cret"');
    expect(html).toContain("It is shown only once");
  });
});

describe("the tool catalog", () => {
  it("shows tools as cards naming their server", () => {
    const server = { id: "s1", name: "Weather" } as ToolServer;
    const tool = {
      id: "t1",
      name: "forecast",
      version: "1",
      description: "Tomorrow's weather",
      manifest: {},
      topic_server_id: "s1",
      status: "active",
      tags: [],
      acts_on_behalf_of_user: false,
      max_execution_time: 30,
    } as unknown as Tool;
    const html = render(
      createElement(ToolCatalog),
      cacheWith([toolKeys.serverChoices, page([server], 1, 200)], [firstPage(toolKeys.catalog), page([tool])]),
    );
    expect(html).toMatch(/<ul class="card-list tool-list" aria-label="Tools discovered on your servers"/);
    expect(html).toContain("on Weather");
    expect(html).toContain("time limit 30 s");
    expect(html).toContain("1 tool");
  });
});

describe("tool permissions", () => {
  const grant = (id: string, revoked: string | null): ToolGrant =>
    ({ id, agent_id: "a1", tool_id: id, created_at: "2030-01-01T00:00:00Z", revoked_at: revoked }) as ToolGrant;
  const key = firstPage(accountKeys.toolGrants, {}, 200);

  it("hide revoked permissions unless asked", () => {
    const html = render(
      createElement(ToolGrantsSection),
      cacheWith([key, page([grant("active-1", null), grant("gone-1", "2030-01-02T00:00:00Z")], 2, 200)]),
    );
    expect(html).toContain("tool active-1");
    expect(html).not.toContain("tool gone-1");
  });

  it("say so when every permission is revoked", () => {
    const html = render(
      createElement(ToolGrantsSection),
      cacheWith([key, page([grant("gone-1", "2030-01-02T00:00:00Z")], 1, 200)]),
    );
    expect(html).toContain("No agent may use a tool on your behalf.");
    expect(html).not.toContain("<table");
  });
});
