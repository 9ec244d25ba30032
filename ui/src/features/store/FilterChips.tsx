/**
 * The store's active category and tag filters as chips: pressing one removes its filter (its name
 * reads "Tag: support, remove filter"), "clear all" removes both. Nothing shows when neither is set.
 */

import { useTranslation } from "react-i18next";
import { categoryPath, type CategoryNode, type StoreFilter } from "./filters";

interface Props {
  filter: StoreFilter;
  /** The category tree, to name the chosen category; absent while it loads. */
  tree: readonly CategoryNode[] | undefined;
  onChange: (patch: Partial<StoreFilter>) => void;
}

export function FilterChips({ filter, tree, onChange }: Props) {
  const { t } = useTranslation("store");
  if (!filter.category && !filter.tag) return null;
  const category = filter.category ? categoryPath(tree ?? [], filter.category).at(-1) : undefined;
  const categoryName = category?.name ?? (tree ? t("filters.unknownCategory") : "…");
  return (
    <div className="filter-chips" role="group" aria-label={t("filters.title")}>
      {filter.category ? (
        <button type="button" className="filter-chip" onClick={() => onChange({ category: "" })}>
          {t("filters.category", { name: categoryName })}
          <span className="visually-hidden"> {t("filters.remove")}</span>
          <span aria-hidden="true"> ×</span>
        </button>
      ) : null}
      {filter.tag ? (
        <button type="button" className="filter-chip" onClick={() => onChange({ tag: "" })}>
          {t("filters.tag", { tag: filter.tag })}
          <span className="visually-hidden"> {t("filters.remove")}</span>
          <span aria-hidden="true"> ×</span>
        </button>
      ) : null}
      {filter.category && filter.tag ? (
        <button
          type="button"
          className="button button--small button--ghost"
          onClick={() => onChange({ category: "", tag: "" })}
        >
          {t("filters.clear")}
        </button>
      ) : null}
    </div>
  );
}
