/** Server-rendered markup of the new views: what a person (and a screen reader) is shown. */

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { prerender } from "react-dom/static";
import { createQueryClient } from "../src/lib/queryClient";
import { describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import { ApiError } from "../src/api/problem";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import type { Me } from "../src/api/types";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { Header } from "../src/app/Header";
import { Pager } from "../src/components/Pager";
import { ProblemMessage } from "../src/components/ProblemMessage";
import { QuotaBar } from "../src/features/admin/QuotaBar";
import { pageRoutes } from "../src/app/router";
import { ToolSchema } from "../src/features/tools/ToolSchema";
import { routeHref, type Route } from "../src/lib/paths";
import { MemoryRouter, Outlet, useRoutes } from "react-router";
import { SessionStore } from "../src/session/sessionStore";
import { ChatStore } from "../src/features/chat/chatStore";
import { scriptedFetch } from "./helpers/http";

const me: Me = {
  id: "u",
  email: "a@b.c",
  display_name: null,
  role: "user",
  tenant_id: "t",
  tenant_name: "acme",
  tenant_display_name: "Acme",
};

function header(who: Me): string {
  const services = { session: {} } as unknown as Services;
  return renderToStaticMarkup(
    createElement(
      ServicesContext.Provider,
      { value: services },
      // The header's notification bell reads its count through TanStack Query.
      createElement(
        QueryClientProvider,
        { client: new QueryClient() },
        createElement(
          MemoryRouter,
          { initialEntries: ["/tools"] },
          createElement(Header, { me: who, sidebarOpen: false, onToggleSidebar: () => {} }),
        ),
      ),
    ),
  );
}

describe("header navigation by role", () => {
  it("shows Tools to developers, Admin to admins and Tenants to platform admins", () => {
    expect(header(me)).not.toMatch(/#\/tools|#\/admin|#\/tenants/);
    const developer = header({ ...me, role: "developer" });
    expect(developer).toMatch(/<a aria-current="page"[^>]*href="\/tools"/);
    expect(developer).not.toContain("/admin");
    const admin = header({ ...me, role: "admin" });
    expect(admin).toContain('href="/admin"');
    expect(admin).not.toContain("/tenants");
    expect(header({ ...me, role: "admin", platform_admin: true })).toContain('href="/tenants"');
  });
});

describe("ProblemMessage", () => {
  it("says when to try again after a 429", () => {
    const error = new ApiError({
      status: 429,
      title: "Too Many Requests",
      detail: "rate limit exceeded",
      retryAfterSeconds: 90,
    });
    const html = renderToStaticMarkup(createElement(ProblemMessage, { error, context: "Could not add the user" }));
    expect(html).toContain('role="alert"');
    expect(html).toContain("Too Many Requests. </span>rate limit exceeded");
    expect(html).toMatch(/You can try again in 1 min 30 sec \(at [^)]+\)\./);
  });

  it("shows no wait for other problems", () => {
    const error = new ApiError({ status: 404, title: "Not Found", detail: "user not found" });
    expect(renderToStaticMarkup(createElement(ProblemMessage, { error }))).not.toContain("try again in");
  });
});

describe("QuotaBar", () => {
  it("is a labelled meter with the used amount", () => {
    const html = renderToStaticMarkup(
      createElement(QuotaBar, {
        quota: { name: "users", limit: 10, used: 10, remaining: 0, resets_at: null },
      }),
    );
    expect(html).toContain('role="meter"');
    expect(html).toContain('aria-labelledby="quota-users"');
    expect(html).toContain('aria-valuenow="10"');
    expect(html).toContain('aria-valuemax="10"');
    expect(html).toContain("quota--full");
    expect(html).toContain("Limit reached");
  });

  it("draws no bar for an unlimited quota", () => {
    const html = renderToStaticMarkup(
      createElement(QuotaBar, { quota: { name: "agents", limit: null, used: 3, remaining: null } }),
    );
    expect(html).not.toContain('role="meter"');
    expect(html).toContain("(unlimited)");
  });
});

describe("Pager", () => {
  it("is a named navigation with disabled ends", () => {
    const html = renderToStaticMarkup(
      createElement(Pager, {
        label: "Audit log pages",
        total: 120,
        limit: 50,
        offset: 0,
        count: 50,
        onOffset: () => {},
      }),
    );
    expect(html).toContain('<nav class="pager" aria-label="Audit log pages">');
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>← Previous/);
    expect(html).toContain("1–50 of 120");
  });
});

describe("ToolSchema", () => {
  it("shows the parameters and the raw schema", () => {
    const html = renderToStaticMarkup(
      createElement(ToolSchema, {
        tool: {
          name: "forecast",
          manifest: { input_schema: { type: "object", required: ["city"], properties: { city: { type: "string" } } } },
        },
      }),
    );
    expect(html).toContain("(1 parameter)");
    expect(html).toContain('<code>city</code><span class="badge">required</span>');
    expect(html).toContain("&quot;required&quot;");
  });
});

describe("pages render for their roles", () => {
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

  function Pages({ who }: { who: Me }) {
    const shell = createElement(Outlet, { context: { me: who, onNewChat: () => {} } });
    return useRoutes([{ element: shell, children: pageRoutes }]);
  }

  function app(route: Route, who: Me) {
    return createElement(
      ServicesContext.Provider,
      { value: services() },
      createElement(
        QueryClientProvider,
        { client: new QueryClient() },
        createElement(MemoryRouter, { initialEntries: [routeHref(route)] }, createElement(Pages, { who })),
      ),
    );
  }

  /** The page as first painted: a page whose code loads on demand shows its loading line. */
  function firstPaint(route: Route, who: Me): string {
    return renderToStaticMarkup(app(route, who));
  }

  /** The page once its code has loaded (`prerender` waits for every suspended part). */
  async function page(route: Route, who: Me): Promise<string> {
    const { prelude } = await prerender(app(route, who));
    // Drop React's markers (Suspense boundaries, text separators): only what a person sees.
    return (await new Response(prelude).text()).replace(/<!--.*?-->/g, "");
  }

  // First in this block: once a test below has loaded a page's code, React renders it at once.
  it("loads the seldom-visited pages' code on demand, and the everyday pages' at once", () => {
    const loading = '<p class="muted page-loading" role="status">Loading…</p>';
    const admin = { ...me, role: "admin" as const, platform_admin: true };
    for (const route of [
      { name: "admin", tab: "users" },
      { name: "tenants" },
      { name: "tools" },
      { name: "node-types" },
      { name: "account" },
      { name: "task", taskId: "t1" },
    ] as Route[]) {
      expect(firstPaint(route, admin), route.name).toBe(loading);
    }
    expect(firstPaint({ name: "store" }, admin)).not.toContain(loading);
    expect(firstPaint({ name: "reviews" }, admin)).not.toContain(loading);
    // A role that may not see the page is told so at once, without loading its code.
    expect(firstPaint({ name: "tools" }, me)).toContain("Developers only");
  });

  it("renders each Admin tab for admins, and a notice for others", async () => {
    const admin = { ...me, role: "admin" };
    expect(await page({ name: "admin", tab: "users" }, admin)).toContain("Add a user");
    expect(await page({ name: "admin", tab: "usage" }, admin)).toContain("Usage &amp; quotas");
    const audit = await page({ name: "admin", tab: "audit" }, admin);
    expect(audit).toContain('aria-label="Filter the audit log"');
    expect(audit).toMatch(
      /<a[^>]*href="\/admin\/audit" aria-current="page"|<a aria-current="page"[^>]*href="\/admin\/audit"/,
    );
    expect(await page({ name: "admin", tab: "users" }, me)).toContain("Admins only");
  });

  it("renders Tools for developers and Tenants for platform admins", async () => {
    expect(await page({ name: "tools" }, { ...me, role: "developer" })).toContain("Register a server");
    expect(await page({ name: "tools" }, me)).toContain("Developers only");
    expect(await page({ name: "tenants" }, { ...me, role: "admin", platform_admin: true })).toContain(
      "Create a tenant",
    );
    expect(await page({ name: "tenants" }, { ...me, role: "admin" })).toContain("Platform admins only");
  });

  it("adds the password form and, except for viewers, tool permissions to the account page", async () => {
    const html = await page({ name: "account" }, me);
    expect(html).toContain("Change password");
    expect(html).toContain('autoComplete="current-password"');
    expect(html).toContain("Tool permissions");
    expect(await page({ name: "account" }, { ...me, role: "viewer" })).not.toContain("Tool permissions");
  });

  it("renders the node types and review task pages once their code has loaded", async () => {
    const nodeTypes = await page({ name: "node-types" }, me);
    expect(nodeTypes).toContain('<h1 id="node-types-title">Node types</h1>');
    expect(nodeTypes).not.toContain("page-loading");
    const task = await page({ name: "task", taskId: "t1" }, { ...me, role: "reviewer" });
    expect(task).toContain('<section class="page task-page" aria-labelledby="task-title">');
    expect(task).toMatch(/<a href="\/reviews"[^>]*>← Inbox<\/a>/);
    expect(task).not.toContain("page-loading");
  });
});
