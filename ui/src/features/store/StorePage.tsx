/**
 * The agent store: search published agents, narrow them by category (a tree) and tag (any tag on a
 * card is a link), see ratings and use, open an agent. Every filter is in the URL.
 */

import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ProblemMessage } from "../../components/ProblemMessage";
import { StartChatButton } from "../../components/StartChatButton";
import { TagList } from "../../components/TagList";
import { routeHref } from "../../lib/paths";
import { useCategories, useStoreAgents } from "./api";
import { CategoryTree } from "./CategoryTree";
import { FilterChips } from "./FilterChips";
import { storeHref, useStoreFilter } from "./filters";
import { RatingText, UsersText } from "./RatingText";
import "./store.css";

const SEARCH_DELAY_MS = 300;

export function StorePage() {
  const { t } = useTranslation("store");
  const [filter, update] = useStoreFilter();
  const search = filter.q;
  const [query, setQuery] = useState(search);
  const written = useRef(search);

  // Typing waits a moment before it searches; the search lands in the URL (replacing the entry, so
  // Back skips the keystrokes) beside the category and tag.
  useEffect(() => {
    const next = query.trim();
    if (next === written.current) return;
    const timer = setTimeout(() => {
      written.current = next;
      update({ q: next }, { replace: true });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query, update]);

  // The URL changed from outside (a link to the store, back/forward): the box follows it.
  useEffect(() => {
    if (search === written.current) return;
    written.current = search;
    setQuery(search);
  }, [search]);

  const categories = useCategories();
  const agents = useStoreAgents(filter);
  const filtered = Boolean(filter.q || filter.category || filter.tag);
  const items = agents.data?.items ?? [];
  const searching = agents.isFetching;

  return (
    <section className="page store" aria-labelledby="store-title">
      <h1 id="store-title">{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <label className="field field--inline">
        <span className="field-label">{t("search.label")}</span>
        <input
          type="search"
          value={query}
          placeholder={t("search.placeholder")}
          onChange={(e) => setQuery(e.target.value)}
        />
      </label>
      <FilterChips filter={filter} tree={categories.data} onChange={update} />
      <div className="store-layout">
        <CategoryTree filter={filter} />
        <div className="store-results">
          <ProblemMessage error={agents.error} context={t("search.loadError")} onRetry={() => void agents.refetch()} />
          <p className="visually-hidden" role="status">
            {searching ? t("search.searching") : agents.data ? t("search.results", { count: items.length }) : ""}
          </p>
          {agents.isPending ? <p className="muted">{t("loading")}</p> : null}
          {agents.data && items.length === 0 ? (
            <p className="muted">{filtered ? t("search.noMatch") : t("search.empty")}</p>
          ) : null}
          <ul className="card-grid" aria-busy={searching}>
            {items.map((agent) => (
              <li key={agent.id} className="card agent-card">
                <div className="card-head">
                  <h2 className="card-title">
                    <Link to={routeHref({ name: "agent", agentId: agent.id })}>{agent.name}</Link>
                  </h2>
                  {agent.current_version ? (
                    <span className="badge">{t("agent.version", { version: agent.current_version.version })}</span>
                  ) : null}
                </div>
                {agent.description ? <p className="card-text">{agent.description}</p> : null}
                <p className="card-meta muted">
                  <span>
                    <RatingText value={agent.average_rating} />
                  </span>
                  <span aria-hidden="true"> · </span>
                  <span>
                    <UsersText count={agent.download_count} />
                  </span>
                </p>
                <TagList
                  tags={agent.tags}
                  className="card-tags"
                  tagHref={(tag) => storeHref({ ...filter, tag })}
                  tagLabel={(tag) => t("tags.filterBy", { tag })}
                />
                <div className="card-actions">
                  <StartChatButton agent={agent} small />
                </div>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
