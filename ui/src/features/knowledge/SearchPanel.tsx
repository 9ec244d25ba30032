/**
 * Debug search: a query run exactly as an agent's `rag` node would run it, and the passages it
 * finds, best first, each with its score and where it comes from.
 */

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { formatNumber, useLocale } from "../../lib/format";
import { searchKnowledgeBase, type Passage, type SearchRequest } from "./api";

const DEFAULT_TOP_K = 5;

export function SearchPanel({ baseId }: { baseId: string }) {
  const { t } = useTranslation("knowledge");
  const { client } = useServices();
  const [query, setQuery] = useState("");
  const [topK, setTopK] = useState(String(DEFAULT_TOP_K));
  const [hybrid, setHybrid] = useState(false);
  const search = useMutation({ mutationFn: (body: SearchRequest) => searchKnowledgeBase(client, baseId, body) });
  const k = Number(topK);
  const kValid = Number.isInteger(k) && k >= 1 && k <= 50;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!query.trim() || !kValid || search.isPending) return;
    search.mutate({ query: query.trim(), top_k: k, hybrid });
  };

  return (
    <section aria-labelledby="search-title" className="knowledge-search">
      <h2 id="search-title">{t("search.title")}</h2>
      <p className="muted">{t("search.intro")}</p>
      <form className="search-form" onSubmit={submit} aria-label={t("search.title")}>
        <label className="field search-query">
          <span className="field-label">{t("search.query")}</span>
          <input type="search" value={query} maxLength={4000} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <label className="field search-top-k">
          <span className="field-label">{t("search.topK")}</span>
          <input
            type="number"
            min={1}
            max={50}
            inputMode="numeric"
            value={topK}
            aria-invalid={kValid ? undefined : true}
            onChange={(e) => setTopK(e.target.value)}
          />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={hybrid} onChange={(e) => setHybrid(e.target.checked)} />
          {t("search.hybrid")}
        </label>
        <button
          type="submit"
          className="button button--primary"
          disabled={!query.trim() || !kValid || search.isPending}
        >
          {search.isPending ? t("search.pending") : t("search.submit")}
        </button>
      </form>
      <ProblemMessage error={search.error} context={t("search.error")} />
      {search.data && !search.isPending ? <Passages passages={search.data.passages} /> : null}
    </section>
  );
}

/** Where a passage comes from: its file, the document's title and the section, as far as known. */
export function passageOrigin(passage: Passage): string {
  const section = typeof passage.metadata.section === "string" ? passage.metadata.section : null;
  const parts = [passage.source, passage.title, section].filter((part): part is string => Boolean(part));
  return [...new Set(parts)].join(" · ");
}

/** The passages found, best first, each with its score. */
export function Passages({ passages }: { passages: readonly Passage[] }) {
  const { t } = useTranslation("knowledge");
  const locale = useLocale();
  if (passages.length === 0) {
    return (
      <p className="muted" role="status">
        {t("search.none")}
      </p>
    );
  }
  return (
    <>
      <p className="visually-hidden" role="status">
        {t("search.found", { count: passages.length })}
      </p>
      <ol className="passages" aria-label={t("search.results")}>
        {passages.map((passage, index) => (
          <li key={index} className="passage">
            <p className="passage-head">
              <span className="badge passage-score">
                {passage.score === null
                  ? t("search.noScore")
                  : t("search.score", {
                      score: formatNumber(passage.score, locale, {
                        minimumFractionDigits: 3,
                        maximumFractionDigits: 3,
                      }),
                    })}
              </span>
              {passageOrigin(passage) ? <span className="muted passage-source">{passageOrigin(passage)}</span> : null}
            </p>
            <p className="passage-text">{passage.text}</p>
          </li>
        ))}
      </ol>
    </>
  );
}
