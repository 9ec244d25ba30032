/**
 * What the store, agent, node-type and login pages, the header and the shared pieces show, in
 * English and in Chinese: server-rendered with the query cache filled as the API would fill it.
 */

import { createQueryClient } from "../src/lib/queryClient";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next from "i18next";
import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import { ApiError } from "../src/api/problem";
import type { AgentDetail, AgentReview } from "../src/api/store";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import type { AgentSummary, Me, NodeTypeInfo, Page } from "../src/api/types";
import { ServicesContext } from "../src/app/context";
import { Header } from "../src/app/Header";
import type { Services } from "../src/app/services";
import { ConfirmDialog } from "../src/components/ConfirmDialog";
import { Pager } from "../src/components/Pager";
import { ProblemMessage } from "../src/components/ProblemMessage";
import { LoginPage } from "../src/features/auth/LoginPage";
import { servicesDown } from "../src/features/auth/HealthNote";
import { storeKeys } from "../src/features/store/api";
import { AgentPage } from "../src/features/store/AgentPage";
import { StorePage } from "../src/features/store/StorePage";
import { studioKeys } from "../src/features/studio/api";
import { NodeTypesPage, matchesNodeType } from "../src/features/studio/NodeTypesPage";
import { ChatStore } from "../src/features/chat/chatStore";
import { SessionStore } from "../src/session/sessionStore";
import { json, scriptedFetch } from "./helpers/http";

const me: Me = {
  id: "me",
  email: "ada@example.com",
  display_name: null,
  role: "admin",
  tenant_id: "t",
  tenant_name: "acme",
  tenant_display_name: "Acme",
};

const agent: AgentSummary = {
  id: "a1",
  name: "Support triage",
  description: "Sorts tickets",
  category_id: null,
  current_version: { id: "v2", version: "1.1.0" },
  average_rating: "4.25",
  download_count: 1234,
  published_at: "2030-06-01T10:00:00Z",
  tags: ["support"],
};

const detail: AgentDetail = {
  ...agent,
  rating_count: 3,
  versions: [
    {
      id: "v2",
      version: "1.1.0",
      changelog: "- faster routing\n- [docs](https://example.com)\n\n<img src=x onerror=alert(1)>",
      published_at: "2030-06-01T10:00:00Z",
      is_current: true,
    },
    { id: "v1", version: "1.0.0", changelog: null, published_at: "2030-05-01T10:00:00Z", is_current: false },
  ],
};

const reviews: AgentReview[] = [
  {
    id: "r1",
    user_id: "me",
    rating: 4,
    comment: "Good",
    created_at: "2030-06-02T10:00:00Z",
    updated_at: "2030-06-02T10:00:00Z",
  },
  {
    id: "r2",
    user_id: "u2",
    rating: 2,
    comment: null,
    created_at: "2030-06-03T10:00:00Z",
    updated_at: "2030-06-03T10:00:00Z",
  },
];

const nodeType = (type_name: string, display_name: string, patch: Partial<NodeTypeInfo> = {}): NodeTypeInfo =>
  ({
    id: type_name,
    type_name,
    display_name,
    description: `${display_name} node`,
    category: "control",
    execution: "human",
    tags: [],
    required_services: [],
    config_schema: { type: "object" },
    default_config: {},
    input_schema: {},
    output_schema: {},
    ...patch,
  }) as NodeTypeInfo;

function services(session?: SessionStore): Services {
  const tokens = new TokenStore(memoryStorage());
  const client = new ApiClient({ fetch: scriptedFetch({}).fetch, tokens });
  return {
    client,
    chats: new ChatStore(client),
    session: session ?? new SessionStore(client, tokens, () => {}),
    queries: createQueryClient(),
  };
}

/** Render with a query cache filled beforehand, as if every answer had arrived. */
function render(node: ReactNode, fill: (client: QueryClient) => void = () => {}, path = "/", session?: SessionStore) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  fill(queryClient);
  return renderToStaticMarkup(
    createElement(
      ServicesContext.Provider,
      { value: services(session) },
      createElement(
        QueryClientProvider,
        { client: queryClient },
        createElement(MemoryRouter, { initialEntries: [path] }, node),
      ),
    ),
  );
}

/** Text only, for assertions on what a person reads. */
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

afterEach(async () => {
  await i18next.changeLanguage("en");
});

describe("store page", () => {
  const page: Page<AgentSummary> = { items: [agent], total: 1, limit: 100, offset: 0 };
  const fill = (search: string) => (client: QueryClient) =>
    client.setQueryData(storeKeys.agents({ q: search, category: "", tag: "" }), page);

  it("lists agents with their rating and use, searched from the URL", () => {
    const html = render(createElement(StorePage), fill("triage"), "/store?q=triage");
    expect(html).toContain('value="triage"');
    expect(text(html)).toContain("4.3 ★ · 1.2K users");
    expect(text(html)).toContain("1 agent");
    expect(html).toContain('href="/store/a1"');
  });

  it("speaks Chinese with Chinese numbers", async () => {
    await i18next.changeLanguage("zh-CN");
    const html = text(render(createElement(StorePage), fill("")));
    expect(html).toContain("智能体商店");
    expect(html).toContain("1234 位用户"); // zh-CN counts compactly from 万 (10 000) up
    expect(html).toContain("搜索商店");
  });

  it("shows the category tree and the active filters in Chinese", async () => {
    await i18next.changeLanguage("zh-CN");
    const tree = [{ id: "c1", name: "写作", description: null, children: [] }];
    const filled = (client: QueryClient) => {
      client.setQueryData(storeKeys.agents({ q: "", category: "c1", tag: "support" }), page);
      client.setQueryData(storeKeys.categories, tree);
    };
    const html = render(createElement(StorePage), filled, "/store?category=c1&tag=support");
    expect(text(html)).toContain("分类：写作");
    expect(text(html)).toContain("标签：support");
    expect(text(html)).toContain("全部分类");
    expect(html).toContain('aria-label="标签为 support 的智能体"');
    expect(html).toContain('href="/store?category=c1&amp;tag=support"');
  });

  it("says when nothing matches the search", () => {
    const empty = (client: QueryClient) =>
      client.setQueryData(storeKeys.agents({ q: "zzz", category: "", tag: "" }), {
        items: [],
        total: 0,
        limit: 100,
        offset: 0,
      });
    expect(text(render(createElement(StorePage), empty, "/store?q=zzz"))).toContain("No agent matches.");
  });
});

describe("agent page", () => {
  const fill = (client: QueryClient) => {
    client.setQueryData(storeKeys.agent("a1"), detail);
    client.setQueryData(storeKeys.reviews("a1"), reviews);
  };
  let signedIn: SessionStore;
  beforeAll(async () => {
    const tokens = new TokenStore(memoryStorage());
    tokens.set({
      access_token: "a",
      refresh_token: "r",
      token_type: "bearer",
      expires_at: "2099-01-01T00:00:00Z",
      tenant_id: "t",
      role: "admin",
    });
    const { fetch } = scriptedFetch({ "GET /api/auth/me": () => json(200, me) });
    signedIn = new SessionStore(new ApiClient({ fetch, tokens }), tokens, () => {});
    await signedIn.restore();
  });
  const session = () => signedIn;

  it("shows versions with Markdown changelogs (no raw HTML), ratings and reviews", () => {
    const html = render(createElement(AgentPage, { agentId: "a1" }), fill, "/store/a1", session());
    expect(text(html)).toContain("4.3 ★ (3 ratings)");
    expect(html).toContain("<li>faster routing</li>");
    expect(html).toContain('href="https://example.com"');
    expect(html).not.toContain("<img");
    expect(text(html)).toContain("v1.1.0 current");
    expect(text(html)).toContain("No changelog.");
    expect(html).toContain('aria-label="4 out of 5 stars"');
    // Each tag opens the store filtered by it.
    expect(html).toContain('href="/store?tag=support"');
    expect(html).toContain('aria-label="Agents tagged support"');
    expect(text(html)).toMatch(/You .*A user/);
    // The person's own review fills the form, which then offers to update it.
    expect(html).toContain("Update review");
    expect(html).toContain(">Good</textarea>");
  });

  it("dates versions in the reader's language", async () => {
    await i18next.changeLanguage("zh-CN");
    const html = text(render(createElement(AgentPage, { agentId: "a1" }), fill, "/store/a1", session()));
    expect(html).toContain("2030年6月1日");
    expect(html).toContain("4.3 ★（3 个评分）");
    expect(html).toContain("更新评价");
  });
});

describe("node types page", () => {
  const types = [
    nodeType("human", "Human review", { required_services: ["llm_service", "vector_db"] }),
    nodeType("custom", "Custom thing", { category: "exotic", execution: "inline" }),
  ];
  const fill = (client: QueryClient) => client.setQueryData(studioKeys.nodeTypes, types);

  it("names known node types, categories and services in Chinese, and keeps unknown ones", async () => {
    await i18next.changeLanguage("zh-CN");
    const html = text(render(createElement(NodeTypesPage), fill));
    expect(html).toContain("人工审核");
    expect(html).toContain("等待人工");
    expect(html).toContain("依赖：大模型服务和向量数据库");
    expect(html).toContain("Custom thing");
    expect(html).toContain("exotic");
  });

  it("filters on the shown name as well as the platform's", () => {
    const human = types[0]!;
    expect(matchesNodeType(human, "人工", "人工审核")).toBe(true);
    expect(matchesNodeType(human, "review")).toBe(true);
    expect(matchesNodeType(human, "llm")).toBe(false);
  });
});

describe("login page", () => {
  it("offers the language switch before login and says why the session ended", async () => {
    const html = render(createElement(LoginPage, { notice: "session-expired" }));
    expect(html).toMatch(/<select[^>]*aria-label="Language"/);
    expect(html).toContain('<option value="zh-CN" lang="zh-CN">中文</option>');
    expect(text(html)).toContain("Your session has ended. Please log in again.");
    await i18next.changeLanguage("zh-CN");
    const zh = text(render(createElement(LoginPage, { notice: "logged-out-everywhere" })));
    expect(zh).toContain("你已在所有设备上退出登录。");
    expect(zh).toContain("登录");
    expect(zh).toContain("密码");
  });

  it("lists the services a health answer reports down", () => {
    expect(servicesDown({ status: "degraded", database: "up", temporal: "down" })).toEqual(["temporal"]);
  });
});

describe("header", () => {
  const header = () =>
    render(createElement(Header, { me, sidebarOpen: false, onToggleSidebar: () => {} }), undefined, "/store");

  it("folds navigation and account into a closed menu with the language switch inside", () => {
    const html = header();
    const button = /<button[^>]*class="[^"]*header-more"[^>]*aria-expanded="false"[^>]*aria-controls="([^"]+)"/.exec(
      html,
    );
    expect(button).not.toBeNull();
    const panel = html.slice(html.indexOf(`id="${button![1]}"`));
    expect(panel).toContain('class="header-panel"');
    expect(panel).toContain('aria-label="Language"');
    expect(panel).toContain("Log out");
    expect(panel).toContain('href="/admin"');
  });

  it("is Chinese when the language is", async () => {
    await i18next.changeLanguage("zh-CN");
    const html = text(header());
    expect(html).toContain("菜单");
    expect(html).toContain("退出登录");
    expect(html).toContain("智能体商店");
  });
});

describe("shared pieces in Chinese", () => {
  it("pages, confirms and explains a 429 in Chinese", async () => {
    await i18next.changeLanguage("zh-CN");
    const pager = text(
      renderToStaticMarkup(
        createElement(Pager, {
          label: "审计日志分页",
          total: 1200,
          limit: 50,
          offset: 50,
          count: 50,
          onOffset: () => {},
        }),
      ),
    );
    expect(pager).toContain("第 51–100 条，共 1,200 条");
    expect(pager).toContain("上一页");
    const error = new ApiError({
      status: 429,
      title: "Too Many Requests",
      detail: "slow down",
      retryAfterSeconds: 150,
    });
    const problem = text(renderToStaticMarkup(createElement(ProblemMessage, { error, context: "无法保存" })));
    expect(problem).toContain("无法保存：");
    expect(problem).toMatch(/2分钟30秒后可重试（[^）]+）。/);
    const dialog = text(
      renderToStaticMarkup(
        createElement(ConfirmDialog, {
          open: false,
          title: "删除？",
          confirmLabel: "删除",
          onConfirm: () => {},
          onCancel: () => {},
          children: "确定吗？",
        }),
      ),
    );
    expect(dialog).toContain("取消");
  });

  it("says a network failure in the reader's words, not the browser's", () => {
    const html = text(renderToStaticMarkup(createElement(ProblemMessage, { error: new TypeError("Failed to fetch") })));
    expect(html).toContain("Could not reach the server.");
    expect(html).not.toContain("Failed to fetch");
  });
});
