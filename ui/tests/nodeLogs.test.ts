// @vitest-environment jsdom
/** A node's log lines on its details: counted in the summary, each with its level; none: nothing. */

import { cleanup, render, screen } from "@testing-library/react";
import { createElement } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { NodeLogs, type NodeLogLine } from "../src/run/graph/NodeLogs";

afterEach(cleanup);

const LINES: NodeLogLine[] = [
  { at: "2026-12-06T10:00:00Z", level: "INFO", logger: "activities.llm", message: "calling openai/gpt at x" },
  {
    at: "2026-12-06T10:00:01Z",
    level: "WARNING",
    logger: "activities.llm",
    message: "openai/gpt failed: [redacted-key]",
  },
];

describe("NodeLogs", () => {
  it("shows every line with its level, warnings marked", () => {
    render(createElement(NodeLogs, { lines: LINES }));
    expect(screen.getByText("Log (2 lines)")).toBeTruthy();
    const items = screen.getAllByRole("listitem");
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringContaining("INFO calling openai/gpt at x"),
      expect.stringContaining("WARNING openai/gpt failed: [redacted-key]"),
    ]);
    expect(items[1]?.className).toContain("node-log-line--warning");
  });

  it("shows nothing for a node that logged nothing", () => {
    const { container } = render(createElement(NodeLogs, { lines: [] }));
    expect(container.textContent).toBe("");
  });
});
