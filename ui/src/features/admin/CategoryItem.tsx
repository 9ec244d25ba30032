/**
 * One category in the tree with its sub-categories. The tenant's own can be renamed in place,
 * moved with the "under" select and deleted; a shared one says so and offers nothing.
 */

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TitleEditor } from "../../components/TitleEditor";
import { updateCategoryMutation, type Category, type CategoryUpdate } from "./categories";
import { ParentSelect } from "./ParentSelect";

interface Props {
  node: Category;
  tree: readonly Category[];
  onDelete: (node: Category) => void;
}

export function CategoryItem({ node, tree, onDelete }: Props) {
  const { t } = useTranslation("admin");
  const { client } = useServices();
  const update = useMutation(updateCategoryMutation(client));
  const [renaming, setRenaming] = useState(false);
  const save = (body: CategoryUpdate) => update.mutate({ id: node.id, body }, { onSuccess: () => setRenaming(false) });
  return (
    <li className="category" data-category={node.name}>
      <div className="category-row">
        {renaming ? (
          <TitleEditor
            initial={node.name}
            label={t("categories.nameOf", { name: node.name })}
            pending={update.isPending}
            onSave={(name) => save({ name })}
            onCancel={() => setRenaming(false)}
          />
        ) : (
          <span className="category-name">{node.name}</span>
        )}
        {node.shared ? <span className="badge">{t("categories.shared")}</span> : null}
        {node.description ? <span className="muted category-description">{node.description}</span> : null}
        {node.shared || renaming ? null : (
          <span className="row-actions">
            <button
              type="button"
              className="button button--small"
              onClick={() => setRenaming(true)}
              aria-label={t("categories.renameLabel", { name: node.name })}
            >
              {t("categories.rename")}
            </button>
            <ParentSelect
              label={t("categories.moveLabel", { name: node.name })}
              tree={tree}
              value={node.parent_id}
              moving={node.id}
              disabled={update.isPending}
              onChange={(parent) => save({ parent_id: parent })}
            />
            <button
              type="button"
              className="button button--small button--danger-outline"
              onClick={() => onDelete(node)}
              aria-label={t("categories.deleteLabel", { name: node.name })}
            >
              {t("categories.delete.confirm")}
            </button>
          </span>
        )}
      </div>
      <ProblemMessage
        error={update.error && toApiError(update.error)}
        context={t("categories.updateError", { name: node.name })}
      />
      {node.children.length > 0 ? (
        <ul className="category-tree">
          {node.children.map((child) => (
            <CategoryItem key={child.id} node={child} tree={tree} onDelete={onDelete} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
