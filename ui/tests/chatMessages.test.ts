import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { applyRunEvent, newEntry, newLiveRun, type ChatEntry, type LiveRun } from "../src/features/chat/chatState";
import { MessageBody } from "../src/components/MessageBody";
import { MessageList } from "../src/features/chat/MessageList";
import type { RunEvent } from "../src/sse/runEvents";

const markdown = (text: string) => renderToStaticMarkup(createElement(MessageBody, { text }));

/** What a person sees of the chat's messages (no browser: the server renderer). */
function messages(entry: ChatEntry): string {
  // Enough of the services for the run notices: nobody is signed in, so no reviewer links.
  const session = { getState: () => ({ status: "checking" }), subscribe: () => () => undefined };
  const services = { session } as unknown as Services;
  const list = createElement(MessageList, { entry, onResend: () => undefined, onShowRun: () => undefined });
  const tree: ReactNode = createElement(
    ServicesContext.Provider,
    { value: services },
    createElement(MemoryRouter, null, list),
  );
  return renderToStaticMarkup(tree);
}

const follow = (events: RunEvent[], active = true): LiveRun => ({
  ...events.reduce(
    (run, event, offset) => applyRunEvent(run, { offset, event }),
    newLiveRun("send", "e1", "Refund 42"),
  ),
  active,
});

const chatWith = (run: LiveRun): ChatEntry => ({
  ...newEntry("c1", "c1", "a1"),
  history: { status: "ready", data: [], error: null },
  run,
});

describe("message Markdown", () => {
  it("renders tables, lists, headings and code as HTML", () => {
    const html = markdown("## Plan\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nconst x = 1;\n```");
    expect(html).toContain("<h2>Plan</h2>");
    expect(html).toContain("<li>one</li>");
    expect(html).toMatch(/<div class="table-scroll" tabindex="0"><table>.*<td>1<\/td>/s);
    expect(html).toMatch(/<pre class="code-block" tabindex="0"><code class="hljs language-js">/);
    expect(html).toContain('<span class="hljs-keyword">const</span>');
  });

  it("opens external links in a new tab that cannot reach this one", () => {
    expect(markdown("[docs](https://example.com/a)")).toContain(
      '<a href="https://example.com/a" target="_blank" rel="noopener noreferrer">docs</a>',
    );
    expect(markdown("[inbox](/reviews)")).toContain('<a href="/reviews">inbox</a>');
  });

  it("shows raw HTML as text, never as elements", () => {
    const html = markdown("Look <img src=x onerror=alert(1)> here\n\n<script>alert(2)</script>");
    expect(html).not.toMatch(/<img|<script/i);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("gives a javascript: link no javascript href", () => {
    const html = markdown("[click](javascript:alert(1)) and <javascript:alert(2)>");
    expect(html).not.toMatch(/javascript:[^<]*"/i); // in no attribute
    expect(html).not.toMatch(/<a\b/);
    expect(html).toContain('<span class="link-removed">click</span>');
  });
});

describe("the chat while an approval waits", () => {
  it("shows no internal node output in the agent's bubble", () => {
    const run = follow([
      { type: "node_started", node: "propose", step: 1, taskId: null },
      {
        type: "message",
        content: '{"arguments": {}, "summary": "Refund order 42"}',
        node: "propose",
        internal: true,
      },
      { type: "node_completed", node: "propose", step: 1, taskId: null },
      { type: "node_started", node: "approve", step: 2, taskId: null },
      {
        type: "waiting_for_human",
        node: "approve",
        step: 2,
        taskId: "t1",
        instruction: "Please approve",
        priority: 7,
        dueAt: null,
      },
    ]);
    const html = messages(chatWith(run));
    expect(html).not.toContain("summary");
    expect(html).not.toContain("arguments");
    expect(html).toContain("Refund 42"); // the user's own message
    expect(html).toContain("Waiting for a reviewer…");
  });
});

describe("the chat after a stop", () => {
  it("says the run was stopped, not that it failed", () => {
    const run = follow(
      [
        { type: "node_started", node: "chat", step: 1, taskId: null },
        { type: "message", content: "Half an ans", node: "chat" },
        { type: "cancelled" },
        { type: "error", content: "workflow execution already completed", node: "chat" },
        { type: "done", status: "cancelled", executionId: "e1", chatId: "c1", messageId: null, answer: null },
      ],
      false,
    );
    const html = messages(chatWith(run));
    expect(html).toContain('<span class="message-flag message-flag--stopped">stopped</span>');
    expect(html).toContain("Stopped</li>");
    expect(html).not.toContain("failed");
    expect(html).not.toContain("already completed");
  });
});
