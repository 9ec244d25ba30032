/**
 * Knowledge bases: several files uploaded at once are all listed (refusals in plain words), a
 * document's ingestion events followed on its stream move it to "ready", and a debug search
 * shows each passage with its score.
 */

import i18next from "i18next";
import { createElement } from "react";
import { afterEach, describe, expect, it } from "vitest";
import type { FetchLike } from "../src/api/client";
import {
  searchKnowledgeBase,
  uploadDocument,
  type KnowledgeDocument,
  type Passage,
  type UploadResult,
} from "../src/features/knowledge/api";
import { DocumentRow } from "../src/features/knowledge/DocumentRow";
import { followDocument } from "../src/features/knowledge/followDocument";
import { applyIngestionEvent, documentView, QUEUED, type IngestionProgress } from "../src/features/knowledge/ingestion";
import { Passages } from "../src/features/knowledge/SearchPanel";
import { UploadList } from "../src/features/knowledge/UploadZone";
import { queueFiles, sendUploads, updateUpload, type Upload } from "../src/features/knowledge/uploads";
import type { SseFrame } from "../src/sse/runEvents";
import { frame, json, problem, scriptedFetch, sseResponse } from "./helpers/http";
import { clientWith, renderWithServices as render, text } from "./helpers/services";

const BASE = "kb-1";
const t = i18next.getFixedT("en");

const doc = (id: string, filename: string, patch: Partial<KnowledgeDocument> = {}): KnowledgeDocument => ({
  id,
  knowledge_base_id: BASE,
  filename,
  content_type: "text/markdown",
  content_hash: "h",
  size_bytes: 2048,
  metadata: {},
  status: "pending",
  chunk_count: 0,
  error_message: null,
  created_at: "2030-06-01T10:00:00Z",
  updated_at: "2030-06-01T10:00:00Z",
  ...patch,
});

const file = (name: string, content: string, type = "") => new File([content], name, { type });

afterEach(async () => {
  await i18next.changeLanguage("en");
});

describe("uploading several files", () => {
  it("sends each dropped file as multipart and lists both with how it went", async () => {
    const sent: { url: string; body: unknown }[] = [];
    const fetch: FetchLike = async (url, init) => {
      sent.push({ url, body: init?.body });
      const name = (init?.body as FormData).get("file") as File;
      const result: UploadResult = { action: "created", document: doc(`d-${sent.length}`, name.name) };
      return json(202, result);
    };
    const client = clientWith(fetch);
    const files = [file("guide.md", "# Guide\nHow to reset a password."), file("faq.txt", "Refunds take 5 days.")];
    let counter = 0;
    let list: Upload[] = queueFiles(files, t, () => `u${(counter += 1)}`);
    expect(list.map((u) => [u.name, u.state])).toEqual([
      ["guide.md", "waiting"],
      ["faq.txt", "waiting"],
    ]);
    const stored: string[] = [];
    await sendUploads(
      list,
      files,
      (f) => uploadDocument(client, BASE, f),
      (key, change) => (list = updateUpload(list, key, change)),
      t,
      (result) => stored.push(result.document.filename),
    );
    expect(sent.map((s) => s.url)).toEqual([
      "/api/v1/knowledge-bases/kb-1/documents",
      "/api/v1/knowledge-bases/kb-1/documents",
    ]);
    expect(((sent[1]!.body as FormData).get("file") as File).name).toBe("faq.txt");
    expect(stored).toEqual(["guide.md", "faq.txt"]);
    const shown = text(render(createElement(UploadList, { uploads: list })));
    expect(shown).toContain("guide.md");
    expect(shown).toContain("faq.txt");
    expect(shown.match(/Uploaded/g)).toHaveLength(2);
  });

  it("refuses too large and unreadable files in plain words without sending them, and says why the server refused one", async () => {
    const big = { name: "manual.pdf", type: "application/pdf", size: 21 * 1024 * 1024 };
    const image = { name: "photo.png", type: "image/png", size: 10 };
    const fine = { name: "notes.md", type: "", size: 10 };
    let list = queueFiles([big, image, fine], t, () => `k${Math.random()}`);
    expect(list.map((u) => u.state)).toEqual(["failed", "failed", "waiting"]);
    expect(list[0]!.error?.detail).toBe("This file is too large: each file may be at most 20 MB.");
    expect(list[1]!.error?.detail).toMatch(/^This type of file cannot be read\. Use one of: \.txt/);

    const http = scriptedFetch({
      "POST /api/v1/knowledge-bases/kb-1/documents": () =>
        problem(422, "the uploaded file cannot be ingested", [{ path: "/body/file", message: "not text" }]),
    });
    const client = clientWith(http.fetch);
    const files = [big, image, fine].map((f) => file(f.name, "x"));
    await sendUploads(
      list,
      files,
      (f) => uploadDocument(client, BASE, f),
      (key, change) => (list = updateUpload(list, key, change)),
      t,
    );
    expect(http.calls).toHaveLength(1); // only the file that passed the checks
    const shown = text(render(createElement(UploadList, { uploads: list })));
    expect(shown).toContain("Could not add manual.pdf: This file is too large");
    expect(shown).toContain("Could not add notes.md: the uploaded file cannot be ingested");
    expect(shown).toContain("not text");
  });
});

describe("live ingestion progress", () => {
  const events = [
    frame(0, "ingestion_started", { document_id: "d-1" }),
    ": keep-alive\n\n",
    frame(1, "document_parsed", { chunks: 12, batches: 2 }),
    frame(2, "batch_indexed", { batch: 1, batches: 2, points: 8 }),
    frame(3, "batch_indexed", { batch: 2, batches: 2, points: 4 }),
    frame(4, "done", { status: "ready", document_id: "d-1", chunk_count: 12, error: null }),
  ];
  const fold = (frames: SseFrame[]) => frames.reduce<IngestionProgress>(applyIngestionEvent, QUEUED);

  it("follows the document's stream, re-attaching after a drop, until done moves it to ready", async () => {
    const http = scriptedFetch({
      [`GET /api/v1/knowledge-bases/${BASE}/documents/d-1/events`]: [
        () => sseResponse(events.slice(0, 4)), // the connection drops after the first batch
        () => sseResponse(events.slice(4)),
      ],
    });
    const seen: SseFrame[] = [];
    await followDocument(clientWith(http.fetch), BASE, "d-1", (f) => seen.push(f), { backoffMs: () => 0 });
    expect(seen.map((f) => f.event)).toEqual([
      "ingestion_started",
      "document_parsed",
      "batch_indexed",
      "batch_indexed",
      "done",
    ]);
    expect(http.calls[0]!.headers.Authorization).toBe("Bearer access");
    expect(http.calls[1]!.headers["Last-Event-ID"]).toBe("2");

    const pending = doc("d-1", "guide.md", { status: "processing" });
    const halfway = documentView(pending, fold(seen.slice(0, 3)));
    expect(halfway).toMatchObject({ status: "processing", step: "indexing", done: 0.5, batchesDone: 1 });
    const html = (view: ReturnType<typeof documentView>) =>
      render(
        createElement(
          "table",
          null,
          createElement("tbody", null, createElement(DocumentRow, { doc: pending, view, onDelete: null })),
        ),
      );
    expect(text(html(halfway))).toContain("Processing Indexing: 1 of 2 batches");
    expect(html(halfway)).toContain('<progress max="1" value="0.5"');

    // The list still says "processing": the stream's "done" is enough to show it ready.
    const done = documentView(pending, fold(seen));
    expect(done).toMatchObject({ status: "ready", chunks: 12, done: 1 });
    const shown = text(html(done));
    expect(shown).toContain("Ready");
    expect(shown).toContain("12");
    expect(shown).not.toContain("Indexing");
    await i18next.changeLanguage("zh-CN");
    expect(text(html(done))).toContain("就绪");
    expect(text(html(halfway))).toContain("正在建立索引：第 1 / 2 批");
  });

  it("shows a failure with its reason, and lets the server's row win once it has the end", () => {
    const failed = fold([
      { id: "0", event: "ingestion_started", data: "{}" },
      { id: "1", event: "error", data: JSON.stringify({ content: "no text in the PDF" }) },
      {
        id: "2",
        event: "done",
        data: JSON.stringify({ status: "failed", chunk_count: 0, error: "no text in the PDF" }),
      },
    ]);
    expect(documentView(doc("d-2", "scan.pdf", { status: "processing" }), failed)).toMatchObject({
      status: "failed",
      error: "no text in the PDF",
    });
    expect(documentView(doc("d-3", "a.md", { status: "ready", chunk_count: 3 }), undefined)).toMatchObject({
      status: "ready",
      chunks: 3,
    });
    expect(documentView(doc("d-4", "b.md", { status: "deleting" }), fold(events.map(parseFrame)))).toMatchObject({
      status: "deleting",
    });
  });
});

/** One frame as fetch-event-source hands it over. */
function parseFrame(raw: string): SseFrame {
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, "m").exec(raw)?.[1] ?? "";
  return { id: field("id"), event: field("event"), data: field("data") };
}

describe("debug search", () => {
  const passages: Passage[] = [
    {
      text: "Refunds take 5 working days.",
      source: "faq.txt",
      title: null,
      score: 0.81234,
      metadata: { section: "Billing / Refunds" },
    },
    { text: "Reset a password from the login page.", source: "guide.md", title: "Guide", score: 0.4, metadata: {} },
  ];

  it("sends the query as a rag node would and shows each passage with its score, best first", async () => {
    const http = scriptedFetch({
      [`POST /api/v1/knowledge-bases/${BASE}/search`]: () => json(200, { passages }),
    });
    const answer = await searchKnowledgeBase(clientWith(http.fetch), BASE, { query: "refund", top_k: 3, hybrid: true });
    expect(http.calls[0]!.body).toEqual({ query: "refund", top_k: 3, hybrid: true });
    const shown = text(render(createElement(Passages, { passages: answer.passages })));
    expect(shown).toContain("score 0.812");
    expect(shown).toContain("faq.txt · Billing / Refunds");
    expect(shown).toContain("Refunds take 5 working days.");
    expect(shown).toContain("score 0.400");
    expect(shown).toContain("guide.md · Guide");
    expect(shown.indexOf("0.812")).toBeLessThan(shown.indexOf("0.400"));
    expect(text(render(createElement(Passages, { passages: [] })))).toContain("No passage matched.");
  });
});
