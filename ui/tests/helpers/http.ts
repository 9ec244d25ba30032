/** Test doubles: a scripted fetch and SSE response bodies. */

import type { FetchLike } from "../../src/api/client";

export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Handler = (call: RecordedCall) => Response | Promise<Response>;

/** A fetch that answers from `handlers` in order per "METHOD path" key and records every call. */
export function scriptedFetch(routes: Record<string, Handler[] | Handler>): {
  fetch: FetchLike;
  calls: RecordedCall[];
  /** Requests no handler was left for (the client turns the throw into a network error). */
  unexpected: string[];
} {
  const calls: RecordedCall[] = [];
  const unexpected: string[] = [];
  const queues = new Map<string, Handler[] | Handler>(Object.entries(routes));
  const fetch: FetchLike = async (input, init) => {
    const method = init?.method ?? "GET";
    const headers = { ...(init?.headers as Record<string, string> | undefined) };
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    const call: RecordedCall = { url: input, method, headers, body };
    calls.push(call);
    const path = input.split("?")[0];
    const entry = queues.get(`${method} ${path}`);
    const handler = Array.isArray(entry) ? entry.shift() : entry;
    if (!handler) {
      unexpected.push(`${method} ${input}`);
      throw new Error(`unexpected request ${method} ${input}`);
    }
    return handler(call);
  };
  return { fetch, calls, unexpected };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json", ...headers },
  });
}

export function problem(status: number, detail: string, errors?: { path: string; message: string }[]): Response {
  return json(status, {
    type: `https://agentpaas.dev/problems/x`,
    title: "Problem",
    status,
    detail,
    ...(errors ? { errors } : {}),
  });
}

/** One SSE frame as the server writes it. */
export function frame(offset: number, event: string, data: Record<string, unknown>): string {
  return `id: ${offset}\nevent: ${event}\ndata: ${JSON.stringify({ event, ...data })}\n\n`;
}

/** An SSE response whose body yields `chunks`, then ends — or fails, if `failWith` is given. */
export function sseResponse(
  chunks: string[],
  options: { headers?: Record<string, string>; failWith?: Error } = {},
): Response {
  const encoder = new TextEncoder();
  const queue = [...chunks];
  // Pull one chunk at a time: erroring a stream discards chunks still queued in it.
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = queue.shift();
      if (chunk !== undefined) controller.enqueue(encoder.encode(chunk));
      else if (options.failWith) controller.error(options.failWith);
      else controller.close();
    },
  });
  return new Response(stream, { status: 200, headers: { "Content-Type": "text/event-stream", ...options.headers } });
}
