/** Store submissions as a reviewer sees them: the list and one submission, in English and Chinese. */

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next, { type i18n as I18n } from "i18next";
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { MemoryRouter } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Submission } from "../src/api/reviews";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { ChatStore } from "../src/features/chat/chatStore";
import { SubmissionPage } from "../src/features/inbox/SubmissionPage";
import { submissionKeys } from "../src/features/inbox/submissionQueries";
import { SubmissionsPage } from "../src/features/inbox/SubmissionsPage";
import { createQueryClient } from "../src/lib/queryClient";
import { SessionStore } from "../src/session/sessionStore";
import { scriptedFetch } from "./helpers/http";

const submission = {
  id: "v-1",
  agent_id: "a-1",
  agent_name: "Trip planner",
  version: "1.2.0",
  status: "submitted",
  changelog: "Asks for the travel dates first.",
  created_at: "2030-01-01T00:00:00Z",
} as Submission;

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

function render(element: ReactElement, items: Submission[], i18n: I18n = i18next): string {
  const cache = new QueryClient();
  cache.setQueryData(submissionKeys.all, items);
  return renderToStaticMarkup(
    createElement(
      I18nextProvider,
      { i18n },
      createElement(
        ServicesContext.Provider,
        { value: services() },
        createElement(QueryClientProvider, { client: cache }, createElement(MemoryRouter, null, element)),
      ),
    ),
  );
}

let chinese: I18n;
beforeAll(async () => {
  chinese = i18next.cloneInstance({ lng: "zh-CN" });
  await chinese.changeLanguage("zh-CN");
});

describe("store submissions", () => {
  it("lists each waiting version as a link named by its agent and version", () => {
    const html = render(createElement(SubmissionsPage), [submission]);
    expect(html).toMatch(/<a href="\/reviews\/submissions\/v-1"[^>]*>Trip planner v1.2.0<\/a>/);
    expect(html).toContain("Asks for the travel dates first.");
    expect(render(createElement(SubmissionsPage), [])).toContain("Nothing is waiting for review.");
  });

  it("shows the changelog and the two decisions, reject needing a reason", () => {
    const html = render(createElement(SubmissionPage, { versionId: "v-1" }), [submission]);
    expect(html).toContain("Trip planner v1.2.0</h1>");
    expect(html).toMatch(/<button[^>]*>Approve<\/button>/);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*title="Write the reason first"[^>]*>Reject<\/button>/);
    // The sandbox try is offered, closed until asked for.
    expect(html).toMatch(/<button[^>]*aria-expanded="false"[^>]*>Try in sandbox<\/button>/);
  });

  it("speaks Chinese", () => {
    const html = render(createElement(SubmissionPage, { versionId: "v-1" }), [submission], chinese);
    expect(html).toContain(">批准</button>");
    expect(html).toContain(">驳回</button>");
    expect(html).toContain("更新说明");
    expect(html).toContain(">试运行此版本</button>");
  });
});
