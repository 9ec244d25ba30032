/**
 * The store's category tree: "all" and every category as a link that filters the list (the chosen
 * one highlighted), sub-categories folded under a toggle. On a phone the whole tree folds into a
 * disclosure above the list, named after the chosen category, and closes once one is picked.
 */

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useCategories } from "./api";
import { categoryPath, storeHref, type CategoryNode, type StoreFilter } from "./filters";

interface Props {
  filter: StoreFilter;
}

export function CategoryTree({ filter }: Props) {
  const { t } = useTranslation("store");
  const categories = useCategories();
  const [open, setOpen] = useState(false);
  // Only what the person toggled is kept; everything else follows the selection (its ancestors open).
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  const tree = categories.data ?? [];
  const path = categoryPath(tree, filter.category);
  const onPath = new Set(path.map((node) => node.id));
  const chosen = path.at(-1);

  if (categories.isSuccess && tree.length === 0) return null;

  const context: ItemContext = {
    filter,
    isOpen: (id) => toggled[id] ?? onPath.has(id),
    toggle: (id, next) => setToggled((prev) => ({ ...prev, [id]: next })),
    picked: () => setOpen(false),
  };

  return (
    <nav className="category-nav" aria-label={t("categories.title")}>
      <button
        type="button"
        className="button category-toggle"
        aria-expanded={open}
        aria-controls="category-panel"
        onClick={() => setOpen((value) => !value)}
      >
        {t("categories.toggle", { name: chosen?.name ?? t("categories.all") })}
      </button>
      <div id="category-panel" className="category-panel" data-open={open}>
        <h2 className="category-title">{t("categories.title")}</h2>
        <ProblemMessage
          error={categories.error}
          context={t("categories.loadError")}
          onRetry={() => void categories.refetch()}
        />
        {categories.isPending ? <p className="muted">{t("loading")}</p> : null}
        <ul className="category-tree">
          <li>
            <div className="category-row">
              <span className="category-twisty" aria-hidden="true" />
              <Link
                className="category-link"
                to={storeHref({ ...filter, category: "" })}
                aria-current={filter.category ? undefined : "true"}
                onClick={context.picked}
              >
                {t("categories.all")}
              </Link>
            </div>
          </li>
          {tree.map((node) => (
            <CategoryItem key={node.id} node={node} context={context} />
          ))}
        </ul>
      </div>
    </nav>
  );
}

interface ItemContext {
  filter: StoreFilter;
  isOpen: (id: string) => boolean;
  toggle: (id: string, open: boolean) => void;
  /** A category was chosen: the phone's disclosure closes. */
  picked: () => void;
}

function CategoryItem({ node, context }: { node: CategoryNode; context: ItemContext }) {
  const { t } = useTranslation("store");
  const { filter } = context;
  const hasChildren = node.children.length > 0;
  const open = hasChildren && context.isOpen(node.id);
  const groupId = `category-${node.id}`;
  return (
    <li>
      <div className="category-row">
        {hasChildren ? (
          <button
            type="button"
            className="category-twisty"
            aria-expanded={open}
            aria-controls={groupId}
            aria-label={t("categories.children", { name: node.name })}
            onClick={() => context.toggle(node.id, !open)}
          >
            <span aria-hidden="true">{open ? "▾" : "▸"}</span>
          </button>
        ) : (
          <span className="category-twisty" aria-hidden="true" />
        )}
        <Link
          className="category-link"
          to={storeHref({ ...filter, category: node.id })}
          aria-current={filter.category === node.id ? "true" : undefined}
          title={node.description ?? undefined}
          onClick={context.picked}
        >
          {node.name}
        </Link>
      </div>
      {hasChildren ? (
        <ul id={groupId} className="category-tree" hidden={!open}>
          {node.children.map((child) => (
            <CategoryItem key={child.id} node={child} context={context} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
