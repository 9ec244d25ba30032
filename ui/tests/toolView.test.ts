import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { grantLabel } from "../src/features/account/grants";
import {
  callStats,
  inputSchema,
  serverFormErrors,
  serverIdFromName,
  statusTone,
  toolParameters,
} from "../src/features/tools/toolView";

const en = i18next.getFixedT("en");
const zh = i18next.getFixedT("zh-CN");

describe("server statistics", () => {
  it("gives the success rate, calls and mean time", () => {
    expect(callStats({ total_calls: 1234, success_calls: 1200, average_response_time: "120.6" }, en, "en")).toBe(
      "97% of 1,234 calls succeeded · 121 ms avg",
    );
    expect(callStats({ total_calls: 1, success_calls: 1, average_response_time: 5 }, en, "en")).toBe(
      "100% of 1 call succeeded · 5 ms avg",
    );
    expect(callStats({ total_calls: 0, success_calls: 0, average_response_time: 0 }, en, "en")).toBe("No calls yet");
    expect(callStats({ total_calls: 1234, success_calls: 1200, average_response_time: "120.6" }, zh, "zh-CN")).toBe(
      "1,234 次调用，成功率 97% · 平均 121 毫秒",
    );
  });

  it("tones statuses", () => {
    expect(statusTone("active")).toBe("ok");
    expect(statusTone("error")).toBe("bad");
    expect(statusTone("inactive")).toBe("off");
    expect(statusTone("deprecated")).toBe("off");
  });
});

describe("input schemas", () => {
  const manifest = {
    input_schema: {
      type: "object",
      required: ["city"],
      properties: {
        units: { type: "string", enum: ["metric", "imperial"], description: "Unit system" },
        city: { type: "string", description: "City name" },
        days: { type: ["integer", "null"] },
        hours: { type: "array", items: { type: "integer" } },
        mode: { enum: ["fast", "slow"] },
      },
    },
  };

  it("lists parameters, required first", () => {
    expect(toolParameters(inputSchema({ manifest }))).toEqual([
      { name: "city", type: "string", required: true, description: "City name" },
      { name: "days", type: "integer | null", required: false, description: "" },
      { name: "hours", type: "integer[]", required: false, description: "" },
      { name: "mode", type: '"fast" | "slow"', required: false, description: "" },
      { name: "units", type: "string", required: false, description: "Unit system" },
    ]);
  });

  it("accepts MCP's inputSchema spelling and copes with none", () => {
    expect(inputSchema({ manifest: { inputSchema: { type: "object" } } })).toEqual({ type: "object" });
    expect(inputSchema({ manifest: {} })).toBeNull();
    expect(toolParameters(null)).toEqual([]);
    expect(toolParameters({ type: "object", properties: "nonsense" })).toEqual([]);
  });
});

describe("register-a-server form", () => {
  it("suggests a server id from the name", () => {
    expect(serverIdFromName("Weather API (v2)")).toBe("weather-api-v2");
    expect(serverIdFromName("  --Ünïcode!")).toBe("n-code");
  });

  it("checks the id and the URL as the API does", () => {
    const good = { server_id: "weather", name: "Weather", endpoint_url: "https://tools.example.com/mcp" };
    expect(serverFormErrors(good, en)).toEqual({});
    expect(serverFormErrors({ ...good, server_id: "-bad" }, en).server_id).toMatch(/starting with a letter/);
    expect(serverFormErrors({ ...good, name: " " }, en).name).toBe("Give the server a name.");
    expect(serverFormErrors({ ...good, endpoint_url: "ftp://x.io" }, en).endpoint_url).toMatch(/http/);
    expect(serverFormErrors({ ...good, endpoint_url: "https://u:p@x.io/mcp" }, en).endpoint_url).toMatch(/credentials/);
    expect(serverFormErrors({ ...good, endpoint_url: "https://x.io/mcp#top" }, en).endpoint_url).toMatch(/fragment/);
    expect(serverFormErrors({ ...good, endpoint_url: "not a url" }, en).endpoint_url).toBeDefined();
    expect(serverFormErrors({ ...good, name: " " }, zh).name).toBe("请为服务器命名。");
  });
});

describe("grant labels", () => {
  it("names the agent and tool, or shows a short id", () => {
    const grant = { agent_id: "a1", tool_id: "0123456789abcdef" };
    expect(grantLabel(grant, [{ id: "a1", name: "Helper" }], [], en)).toEqual({
      agent: "Helper",
      tool: "tool 01234567…",
    });
    expect(grantLabel(grant, [], [{ id: "0123456789abcdef", name: "forecast" }], zh)).toEqual({
      agent: "智能体 a1",
      tool: "forecast",
    });
  });
});
