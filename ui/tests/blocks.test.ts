import { describe, expect, it } from "vitest";
import { splitBlocks, splitInline } from "../src/features/chat/blocks";

describe("splitBlocks", () => {
  it("splits paragraphs on blank lines and keeps single newlines", () => {
    expect(splitBlocks("first\nline\n\nsecond\n\n\n第三段")).toEqual([
      { kind: "paragraph", text: "first\nline" },
      { kind: "paragraph", text: "second" },
      { kind: "paragraph", text: "第三段" },
    ]);
  });

  it("extracts fenced code with its language, untouched", () => {
    expect(splitBlocks("Run:\n```python\nprint('hi')\n\n  x = 1\n```\nDone.")).toEqual([
      { kind: "paragraph", text: "Run:" },
      { kind: "code", lang: "python", text: "print('hi')\n\n  x = 1" },
      { kind: "paragraph", text: "Done." },
    ]);
  });

  it("treats an unclosed fence (still streaming) as code to the end", () => {
    expect(splitBlocks("```\nlet a")).toEqual([{ kind: "code", lang: null, text: "let a" }]);
  });

  it("returns nothing for blank text", () => {
    expect(splitBlocks("  \n\n ")).toEqual([]);
  });
});

describe("splitInline", () => {
  it("separates inline code", () => {
    expect(splitInline("use `npm ci` then `npm test`.")).toEqual([
      { kind: "text", text: "use " },
      { kind: "code", text: "npm ci" },
      { kind: "text", text: " then " },
      { kind: "code", text: "npm test" },
      { kind: "text", text: "." },
    ]);
  });

  it("leaves a lone backtick as text", () => {
    expect(splitInline("a ` b")).toEqual([{ kind: "text", text: "a ` b" }]);
  });
});
