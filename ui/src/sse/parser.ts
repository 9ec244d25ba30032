/**
 * An incremental Server-Sent Events parser (WHATWG "event stream interpretation").
 *
 * Feed it decoded text in chunks of any size; it returns the complete frames seen so
 * far. Comment lines (heartbeats) are dropped; `data:` lines join with "\n"; a line
 * ending may be CRLF, LF or CR, even when split across chunks.
 */

export interface SseFrame {
  /** The frame's `id:` value, or null when it had none. */
  id: string | null;
  /** The frame's `event:` value ("message" when absent, as in the spec). */
  event: string;
  data: string;
}

export class SseParser {
  private buffer = "";
  private pendingCR = false;
  private started = false;
  private id: string | null = null;
  private event = "";
  private data: string[] = [];
  private hasData = false;
  private readonly decoder = new TextDecoder("utf-8");

  /** Feed raw bytes (UTF-8, possibly split inside a character). */
  pushBytes(bytes: Uint8Array): SseFrame[] {
    return this.push(this.decoder.decode(bytes, { stream: true }));
  }

  /** Feed decoded text. */
  push(text: string): SseFrame[] {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const frames: SseFrame[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === "\n" && this.pendingCR && i === 0 && this.buffer === "") {
        // The LF of a CRLF whose CR ended the previous chunk.
        this.pendingCR = false;
        start = 1;
        continue;
      }
      this.pendingCR = false;
      if (ch === "\r" || ch === "\n") {
        this.buffer += text.slice(start, i);
        this.line(this.buffer, frames);
        this.buffer = "";
        if (ch === "\r") {
          if (i + 1 < text.length) {
            if (text[i + 1] === "\n") i++;
          } else {
            this.pendingCR = true;
          }
        }
        start = i + 1;
      }
    }
    this.buffer += text.slice(start);
    return frames;
  }

  /** Flush at end of stream: an unterminated last frame is discarded, as the spec says. */
  end(): SseFrame[] {
    const rest = this.decoder.decode();
    const frames = rest ? this.push(rest) : [];
    this.buffer = "";
    this.resetFrame();
    return frames;
  }

  private line(line: string, frames: SseFrame[]): void {
    if (line === "") {
      this.dispatch(frames);
      return;
    }
    if (line.startsWith(":")) return; // comment / heartbeat
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.data.push(value);
        this.hasData = true;
        break;
      case "event":
        this.event = value;
        break;
      case "id":
        if (!value.includes("\0")) this.id = value;
        break;
      default:
        break; // "retry" and unknown fields are ignored
    }
  }

  private dispatch(frames: SseFrame[]): void {
    if (this.hasData) {
      frames.push({ id: this.id, event: this.event || "message", data: this.data.join("\n") });
    }
    this.resetFrame();
  }

  private resetFrame(): void {
    // Per spec the last event id persists across frames; we report only a frame's own id.
    this.id = null;
    this.event = "";
    this.data = [];
    this.hasData = false;
  }
}
