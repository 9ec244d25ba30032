// @vitest-environment jsdom
/**
 * The inspector's retry and timeout fields show the node type's defaults, as `GET /node-types`
 * gives them (the compiler's resolved values), as their placeholders — "none" where the type sets
 * no such timeout, and just "type default" when the type's defaults are unknown.
 */

import { cleanup, render, screen } from "@testing-library/react";
import i18next from "i18next";
import { createElement } from "react";
import { afterEach, describe, expect, it } from "vitest";
import type { NodeTypePublic } from "../src/features/studio/builder/definition";
import { RunPolicyForm, defaultHint } from "../src/features/studio/builder/inspector/RunPolicyForm";
import { nodeType } from "./helpers/agentGraphs";

afterEach(cleanup);

const LLM: NodeTypePublic = {
  ...nodeType("llm", "LLM", "processing"),
  default_retry: {
    max_attempts: 3,
    initial_interval_seconds: 1,
    backoff_coefficient: 2,
    maximum_interval_seconds: 60,
    non_retryable_error_types: ["NodeOutputError"],
  },
  default_timeouts: { start_to_close_seconds: 120, schedule_to_close_seconds: null, heartbeat_seconds: 30 },
};

function renderForm(type: NodeTypePublic | undefined, execution = "activity") {
  render(
    createElement(RunPolicyForm, {
      node: { name: "answer", type: "llm", config: {}, retry: { max_attempts: 5 } },
      nodeType: type,
      execution,
      problems: [],
      readOnly: false,
      onChange: () => {},
    }),
  );
}

const placeholder = (label: string) => (screen.getByLabelText(label) as HTMLInputElement).placeholder;

describe("retry and timeout defaults in the inspector", () => {
  it("shows each field's default from the node type", () => {
    renderForm(LLM);
    expect(placeholder("First wait before retrying (seconds)")).toBe("Type default: 1");
    expect(placeholder("One attempt, at most (seconds)")).toBe("Type default: 120");
    expect(placeholder("Heartbeat timeout (seconds)")).toBe("Type default: 30");
    expect(placeholder("All attempts together, at most (seconds)")).toBe("Type default: none");
    // A value the node sets is shown as its value, not as a hint.
    expect((screen.getByLabelText("Maximum attempts") as HTMLInputElement).value).toBe("5");
  });

  it("says only 'type default' when the node type's defaults are unknown", () => {
    renderForm(undefined);
    expect(placeholder("One attempt, at most (seconds)")).toBe("Type default");
  });

  it("words the hints in Chinese too", async () => {
    const zh = i18next.cloneInstance({ lng: "zh-CN" });
    await zh.changeLanguage("zh-CN");
    const t = zh.getFixedT("zh-CN", "nodeConfig");
    const retry = LLM.default_retry as unknown as Record<string, unknown>;
    expect(defaultHint(t, retry, "max_attempts")).toBe("类型默认：3");
    expect(defaultHint(t, retry, "non_retryable_error_types")).toBe("类型默认：NodeOutputError");
    expect(defaultHint(t, { non_retryable_error_types: [] }, "non_retryable_error_types")).toBe("类型默认：无");
    expect(defaultHint(t, null, "max_attempts")).toBe("类型默认");
  });
});
