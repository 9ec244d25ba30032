/**
 * The one "search + filters + paged table" list of the admin pages: the filter form, the problem
 * (with when to try again after a 429), the rows as a table (stacked on narrow screens) or as
 * cards, what to say when there are none, and the pager.
 */

import { Fragment, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Pager } from "../Pager";
import { ProblemMessage } from "../ProblemMessage";
import type { PagedList as PagedListState } from "./usePagedList";

/** A table column. Cells repeat `label` as `data-label`, which narrow screens show above the value. */
export interface ListColumn {
  key: string;
  label: string;
  /** Only for screen readers (e.g. the actions column). */
  hidden?: boolean;
}

/** What the list says, in the caller's words (and language). */
export interface ListTexts {
  /** Names the table or card list for screen readers. */
  caption: string;
  /** Names the pager's navigation. */
  pager: string;
  /** Said when there is nothing at all. */
  empty: string;
  /** Said when a search or filter matches nothing; `empty` when not given. */
  noMatch?: string;
  /** What failed when the page does not load ("Could not load users"). */
  loadError: string;
  /** How many there are, announced to screen readers ("12 users"). */
  count: (total: number) => string;
}

interface Props<T, F> {
  list: PagedListState<T, F>;
  texts: ListTexts;
  /** Show a search box with this placeholder in the filter form. */
  search?: { placeholder: string };
  /** More filter controls, beside the search box. */
  filters?: ReactNode;
  /** Names the filter form (needed when `search` or `filters` is given). */
  filtersLabel?: string;
  /** The table's columns; without them the items are a list of cards. */
  columns?: readonly ListColumn[];
  className?: string;
  itemKey: (item: T) => string;
  /** One `<tr>` (cells with `data-label`) for a table, one `<li>` for cards. */
  renderItem: (item: T) => ReactNode;
  /** Hide some fetched items from view (e.g. revoked ones) without another request. */
  visible?: (item: T) => boolean;
}

export function PagedList<T, F>({
  list,
  texts,
  search,
  filters,
  filtersLabel,
  columns,
  className,
  itemKey,
  renderItem,
  visible,
}: Props<T, F>) {
  const { t } = useTranslation("list");
  const { page, loading, offset } = list;
  const shown = visible ? list.items.filter(visible) : list.items;
  const rows = shown.map((item) => <Fragment key={itemKey(item)}>{renderItem(item)}</Fragment>);
  const classes = (base: string) => [base, className].filter(Boolean).join(" ");
  // One page needs no pager: the list itself shows everything there is.
  const paged = page !== undefined && (page.total > page.limit || offset > 0);

  return (
    <div className="paged-list">
      {search || filters ? (
        <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={filtersLabel}>
          {search ? (
            <label className="field filters-search">
              <span className="field-label">{t("search")}</span>
              <input
                type="search"
                value={list.search}
                placeholder={search.placeholder}
                onChange={(e) => list.setSearch(e.target.value)}
              />
            </label>
          ) : null}
          {filters}
        </form>
      ) : null}
      <ProblemMessage error={list.error} context={texts.loadError} onRetry={list.refresh} />
      <p className="visually-hidden" role="status">
        {page ? texts.count(page.total) : loading ? t("loading") : ""}
      </p>
      {!page && loading ? <p className="muted">{t("loading")}</p> : null}
      {page && shown.length === 0 ? (
        <p className="muted">{list.narrowed ? (texts.noMatch ?? texts.empty) : texts.empty}</p>
      ) : null}
      {shown.length > 0 && columns ? (
        <div className="table-wrap">
          <table className={classes("admin-table paged-table")} aria-busy={loading}>
            <caption className="visually-hidden">{texts.caption}</caption>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.key} scope="col">
                    {column.hidden ? <span className="visually-hidden">{column.label}</span> : column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{rows}</tbody>
          </table>
        </div>
      ) : null}
      {shown.length > 0 && !columns ? (
        <ul className={classes("card-list")} aria-label={texts.caption} aria-busy={loading}>
          {rows}
        </ul>
      ) : null}
      {paged ? (
        <Pager
          label={texts.pager}
          total={page.total}
          limit={page.limit}
          offset={offset}
          count={list.items.length}
          disabled={loading}
          onOffset={list.setOffset}
        />
      ) : null}
    </div>
  );
}

/** "Refresh" beside a list's heading; says "Refreshing…" while a request is in flight. */
export function RefreshButton({ busy, onRefresh }: { busy: boolean; onRefresh: () => void }) {
  const { t } = useTranslation("list");
  return (
    <button type="button" className="button button--small" onClick={onRefresh} disabled={busy}>
      {busy ? t("refreshing") : t("refresh")}
    </button>
  );
}
