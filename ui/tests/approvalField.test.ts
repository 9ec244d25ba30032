// @vitest-environment jsdom
/**
 * The builder's approval policy editor on a human node, as a developer uses it: switch the policy
 * on, name the stage, add people as tags, set the quorum, add a second stage of a group with a
 * deadline — and the node's config carries exactly that policy. Switching off removes it.
 */

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { createElement, useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { TokenStore, memoryStorage } from "../src/api/tokens";
import { ServicesContext } from "../src/app/context";
import type { Services } from "../src/app/services";
import { ChatStore } from "../src/features/chat/chatStore";
import type { NodeSpec, NodeTypePublic } from "../src/features/studio/builder/definition";
import { NodeInspector } from "../src/features/studio/builder/inspector/NodeInspector";
import { SessionStore } from "../src/session/sessionStore";
import { json, scriptedFetch } from "./helpers/http";

/** node_types/approval.py's schemas, as the server lists them. */
const ASSIGNEES = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    roles: { type: "array", items: { type: "string", minLength: 1, maxLength: 50 }, maxItems: 20 },
    groups: { type: "array", items: { type: "string", minLength: 1, maxLength: 100 }, maxItems: 50 },
    users: { type: "array", items: { type: "string", minLength: 1, maxLength: 255 }, maxItems: 200 },
  },
};
const POLICY = {
  type: "object",
  additionalProperties: false,
  required: ["stages"],
  properties: {
    decision_key: { type: "string", minLength: 1, maxLength: 64 },
    on_rejection: { enum: ["branch", "fail"] },
    stages: {
      type: "array",
      minItems: 1,
      maxItems: 10,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["assignees"],
        properties: {
          name: { type: ["string", "null"], maxLength: 100 },
          assignees: ASSIGNEES,
          quorum: { type: "integer", minimum: 1, maximum: 100 },
          deadline: {
            anyOf: [
              {
                type: "object",
                additionalProperties: false,
                required: ["after_seconds", "policy"],
                properties: {
                  after_seconds: { type: "number", exclusiveMinimum: 0 },
                  remind_before_seconds: { type: ["number", "null"], exclusiveMinimum: 0 },
                  policy: { enum: ["escalate", "reject", "fail"] },
                  escalate_to: { anyOf: [ASSIGNEES, { type: "null" }] },
                  escalate_priority: { type: ["integer", "null"], minimum: 1, maximum: 10 },
                },
              },
              { type: "null" },
            ],
          },
        },
      },
    },
  },
};

const HUMAN: NodeTypePublic = {
  id: "00000000-0000-0000-0000-000000000004",
  type_name: "human",
  display_name: "Human review",
  description: "Pauses the run until a reviewer completes a task.",
  category: "control",
  tags: ["human"],
  execution: "human",
  config_schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      instruction: { type: "string", minLength: 1 },
      required_input_schema: { type: "object" },
      priority: { type: "integer", minimum: 1, maximum: 10 },
      assigned_to: { type: ["string", "null"] },
      approval: { anyOf: [POLICY, { type: "null" }] },
      output_key: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" },
    },
  },
  input_schema: { type: "object" },
  output_schema: { type: "object" },
  required_services: [],
  default_config: {
    instruction: "Please review the request and respond.",
    required_input_schema: {
      type: "object",
      required: ["approved"],
      properties: { approved: { type: "boolean" } },
    },
    priority: 5,
    assigned_to: null,
    approval: null,
    output_key: "human_input",
  },
};

function renderInspector(node: NodeSpec) {
  const tokens = new TokenStore(memoryStorage());
  tokens.set({
    access_token: "access",
    refresh_token: "refresh",
    token_type: "bearer",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    tenant_id: "t",
    role: "developer",
  });
  const script = scriptedFetch({
    "GET /api/v1/groups": () =>
      json(200, {
        items: [{ id: "g", name: "legal", description: null, member_ids: [] }],
        total: 1,
        limit: 200,
        offset: 0,
      }),
  });
  const client = new ApiClient({ fetch: script.fetch, tokens });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const services: Services = {
    client,
    chats: new ChatStore(client),
    session: new SessionStore(client, tokens, () => {}),
    queries,
  };
  const changes: NodeSpec[] = [];
  function Parent() {
    const [current, setCurrent] = useState(node);
    return createElement(NodeInspector, {
      node: current,
      nodeType: HUMAN,
      otherNodeNames: [],
      stateKeys: ["messages"],
      problems: [],
      readOnly: false,
      onChange: (next: NodeSpec) => {
        changes.push(next);
        setCurrent(next);
      },
    });
  }
  render(
    createElement(
      ServicesContext.Provider,
      { value: services },
      createElement(QueryClientProvider, { client: queries }, createElement(Parent)),
    ),
  );
  return { changes };
}

/** Type a tag into the labelled tag box and press Enter. */
function addTag(scope: HTMLElement, label: string, value: string) {
  const box = within(scope).getByLabelText(label, { selector: "input" });
  fireEvent.change(box, { target: { value } });
  fireEvent.keyDown(box, { key: "Enter" });
}

afterEach(() => cleanup());

describe("the approval policy editor", () => {
  it("builds a two-stage policy with named people, a quorum, a group and a deadline", async () => {
    const errors: unknown[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args) => void errors.push(args));
    const { changes } = renderInspector({ name: "approve", type: "human", config: {} });
    await act(async () => {});
    fireEvent.click(screen.getByLabelText("Approval policy (stages, quorum, named assignees)"));
    expect(changes.at(-1)?.config.approval).toEqual({ stages: [{ assignees: { roles: ["reviewer"] }, quorum: 1 }] });

    const first = screen.getByRole("group", { name: "Stage 1" });
    fireEvent.change(within(first).getByLabelText("Name"), { target: { value: "Finance" } });
    fireEvent.click(within(first).getByRole("button", { name: "Remove reviewer" }));
    addTag(first, "People (e-mails or user ids)", "ana@example.com, bo@example.com");
    addTag(first, "People (e-mails or user ids)", "cai@example.com");
    fireEvent.change(within(first).getByLabelText("How many must agree (M)"), { target: { value: "2" } });

    fireEvent.click(screen.getByRole("button", { name: "Add stage" }));
    const second = screen.getByRole("group", { name: "Stage 2" });
    fireEvent.click(within(second).getByRole("button", { name: "Remove reviewer" }));
    addTag(second, "Groups", "legal");
    fireEvent.click(within(second).getByLabelText("Deadline for this stage"));
    fireEvent.click(within(second).getByLabelText("Reject the stage"));
    fireEvent.click(screen.getByLabelText("Fail the run", { selector: "input[type=radio][id$=rejection-fail]" }));

    expect(changes.at(-1)?.config.approval).toEqual({
      on_rejection: "fail",
      stages: [
        { name: "Finance", assignees: { users: ["ana@example.com", "bo@example.com", "cai@example.com"] }, quorum: 2 },
        { assignees: { groups: ["legal"] }, quorum: 1, deadline: { after_seconds: 86_400, policy: "reject" } },
      ],
    });
    expect(errors).toEqual([]);
    spy.mockRestore();
  });

  it("reorders and removes stages, and switching off removes the policy", async () => {
    const approval = {
      stages: [
        { name: "One", assignees: { roles: ["reviewer"] } },
        { name: "Two", assignees: { users: ["a@example.com"] } },
      ],
    };
    const { changes } = renderInspector({ name: "approve", type: "human", config: { approval } });
    await act(async () => {});
    fireEvent.click(screen.getByRole("button", { name: "Move stage 2 up" }));
    expect((changes.at(-1)?.config.approval as typeof approval).stages.map((s) => s.name)).toEqual(["Two", "One"]);
    fireEvent.click(screen.getByRole("button", { name: "Remove stage 1" }));
    expect((changes.at(-1)?.config.approval as typeof approval).stages.map((s) => s.name)).toEqual(["One"]);
    // The last stage cannot go: a policy has at least one.
    expect((screen.getByRole("button", { name: "Remove stage 1" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText("Approval policy (stages, quorum, named assignees)"));
    expect(changes.at(-1)?.config.approval ?? null).toBeNull();
  });
});
