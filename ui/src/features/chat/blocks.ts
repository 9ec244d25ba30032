/**
 * Just enough Markdown for chat text: fenced code blocks, paragraphs split by blank
 * lines, and `inline code`. Everything else is shown as the plain text it is.
 */

export type Block = { kind: "paragraph"; text: string } | { kind: "code"; lang: string | null; text: string };

export type Inline = { kind: "text"; text: string } | { kind: "code"; text: string };

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w+#.-]*)\s*$/;

function pushParagraphs(blocks: Block[], lines: string[]): void {
  const text = lines.join("\n");
  for (const part of text.split(/\n[ \t]*\n/)) {
    const trimmed = part.replace(/^\n+|\s+$/g, "");
    if (trimmed) blocks.push({ kind: "paragraph", text: trimmed });
  }
}

/** Split text into blocks; an unclosed fence (still streaming) runs to the end. */
export function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let prose: string[] = [];
  let code: { marker: string; lang: string | null; lines: string[] } | null = null;
  for (const line of lines) {
    if (code) {
      const close = line.trim();
      if (close.startsWith(code.marker) && /^(`+|~+)$/.test(close) && close[0] === code.marker[0]) {
        blocks.push({ kind: "code", lang: code.lang, text: code.lines.join("\n") });
        code = null;
      } else {
        code.lines.push(line);
      }
      continue;
    }
    const open = FENCE.exec(line);
    if (open) {
      pushParagraphs(blocks, prose);
      prose = [];
      code = { marker: open[1]!, lang: open[2] ? open[2] : null, lines: [] };
    } else {
      prose.push(line);
    }
  }
  if (code) blocks.push({ kind: "code", lang: code.lang, text: code.lines.join("\n") });
  else pushParagraphs(blocks, prose);
  return blocks;
}

/** Split a paragraph into text and `inline code` runs. */
export function splitInline(text: string): Inline[] {
  const parts: Inline[] = [];
  const pattern = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const index = match.index ?? 0;
    if (index > last) parts.push({ kind: "text", text: text.slice(last, index) });
    parts.push({ kind: "code", text: match[2]!.trim() || match[2]! });
    last = index + match[0].length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}
