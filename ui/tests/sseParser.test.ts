import { describe, expect, it } from "vitest";
import { SseParser, type SseFrame } from "../src/sse/parser";

function parseAll(chunks: string[]): SseFrame[] {
  const parser = new SseParser();
  return [...chunks.flatMap((c) => parser.push(c)), ...parser.end()];
}

const STREAM =
  'id: 0\nevent: node_started\ndata: {"event":"node_started","node":"llm","step":1}\n\n' +
  ": keep-alive\n\n" +
  'id: 1\nevent: message\ndata: {"event":"message","content":"你好"}\n\n';

describe("SseParser", () => {
  it("parses id, event and data and drops heartbeat comments", () => {
    expect(parseAll([STREAM])).toEqual([
      { id: "0", event: "node_started", data: '{"event":"node_started","node":"llm","step":1}' },
      { id: "1", event: "message", data: '{"event":"message","content":"你好"}' },
    ]);
  });

  it("gives the same frames however the text is split", () => {
    const whole = parseAll([STREAM]);
    for (let i = 0; i <= STREAM.length; i++) {
      expect(parseAll([STREAM.slice(0, i), STREAM.slice(i)])).toEqual(whole);
    }
    expect(parseAll([...STREAM])).toEqual(whole); // one character at a time
  });

  it("accepts CRLF and CR line endings, also when CRLF is split across chunks", () => {
    const crlf = STREAM.replace(/\n/g, "\r\n");
    const cr = STREAM.replace(/\n/g, "\r");
    const whole = parseAll([STREAM]);
    expect(parseAll([crlf])).toEqual(whole);
    expect(parseAll([cr])).toEqual(whole);
    for (let i = 0; i <= crlf.length; i++) {
      expect(parseAll([crlf.slice(0, i), crlf.slice(i)])).toEqual(whole);
    }
  });

  it("joins multi-line data with newlines and strips one leading space only", () => {
    expect(parseAll(["data:a\ndata:  b\ndata\n\n"])).toEqual([{ id: null, event: "message", data: "a\n b\n" }]);
  });

  it("ignores a leading BOM, unknown fields and retry", () => {
    expect(parseAll(["\uFEFFretry: 1000\nfoo: bar\nevent: thought\ndata: x\n\n"])).toEqual([
      { id: null, event: "thought", data: "x" },
    ]);
  });

  it("does not dispatch frames without data, nor an unterminated last frame", () => {
    expect(parseAll(["event: ping\n\n", "id: 5\ndata: partial"])).toEqual([]);
  });

  it("decodes UTF-8 split inside a character", () => {
    const bytes = new TextEncoder().encode('data: {"content":"中文回答"}\n\n');
    const parser = new SseParser();
    const frames: SseFrame[] = [];
    for (let i = 0; i < bytes.length; i++) frames.push(...parser.pushBytes(bytes.slice(i, i + 1)));
    frames.push(...parser.end());
    expect(frames).toEqual([{ id: null, event: "message", data: '{"content":"中文回答"}' }]);
  });

  it("reports only a frame's own id", () => {
    expect(parseAll(["id: 3\ndata: a\n\ndata: b\n\n"]).map((f) => f.id)).toEqual(["3", null]);
  });
});
