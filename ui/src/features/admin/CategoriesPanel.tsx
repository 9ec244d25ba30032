/**
 * The store's categories (tenant admins): the tree as the store shows it, shared categories
 * (the platform's, read-only) beside the tenant's own, which can be added, renamed, moved under
 * another category or the top level, and deleted once no agent and no sub-category is in them.
 */

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { categoriesQuery, deleteCategoryMutation, ownCount } from "./categories";
import { CategoryItem } from "./CategoryItem";
import { NewCategoryForm } from "./NewCategoryForm";
import "./categories.css";

export function CategoriesPanel() {
  const { t } = useTranslation("admin");
  const { client } = useServices();
  const tree = useQuery(categoriesQuery(client));
  const remove = useConfirmedMutation(useMutation(deleteCategoryMutation(client)));
  const categories = tree.data ?? [];
  return (
    <section aria-labelledby="categories-title" className="admin-panel categories">
      <h2 id="categories-title">{t("categories.title")}</h2>
      <p className="muted">{t("categories.intro")}</p>
      <NewCategoryForm tree={categories} />
      <ProblemMessage
        error={tree.error && toApiError(tree.error)}
        context={t("categories.loadError")}
        onRetry={() => void tree.refetch()}
      />
      {tree.isPending ? (
        <p className="muted" role="status">
          {t("categories.loading")}
        </p>
      ) : null}
      {tree.data ? (
        <>
          <p className="muted">{t("categories.count", { count: ownCount(categories) })}</p>
          <ul className="category-tree" aria-label={t("categories.treeLabel")}>
            {categories.map((node) => (
              <CategoryItem key={node.id} node={node} tree={categories} onDelete={remove.ask} />
            ))}
          </ul>
        </>
      ) : null}
      <ConfirmDialog
        title={t("categories.delete.title")}
        confirmLabel={t("categories.delete.confirm")}
        danger
        {...remove.dialog}
      >
        <p>{t("categories.delete.text", { name: remove.target?.name ?? "" })}</p>
      </ConfirmDialog>
    </section>
  );
}
