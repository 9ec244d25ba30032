/**
 * The node types a graph is built from, grouped by category: drag one onto the canvas, or
 * press its "add" button (keyboard and touch), which puts it in the middle of the view.
 */

import type { DragEvent, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { NodeTypePublic } from "./definition";
import { NODE_TYPE_MIME } from "./BuilderCanvas";

interface Props {
  nodeTypes: readonly NodeTypePublic[];
  onAdd: (type: NodeTypePublic) => void;
  /** Shown above the list when the node types could not be loaded. */
  problem?: ReactNode;
}

/** Node types by category, categories and types in alphabetical order of what is shown. */
export function groupByCategory(
  nodeTypes: readonly NodeTypePublic[],
  name: (type: NodeTypePublic) => string = (type) => type.display_name,
): [string, NodeTypePublic[]][] {
  const groups = new Map<string, NodeTypePublic[]>();
  for (const type of nodeTypes) groups.set(type.category, [...(groups.get(type.category) ?? []), type]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, types]) => [category, [...types].sort((a, b) => name(a).localeCompare(name(b)))]);
}

export function Palette({ nodeTypes, onAdd, problem }: Props) {
  const { t } = useTranslation("builder");
  const nameOf = (type: NodeTypePublic) => t(`studio:names.${type.type_name}`, { defaultValue: type.display_name });
  const onDragStart = (event: DragEvent, type: NodeTypePublic) => {
    event.dataTransfer.setData(NODE_TYPE_MIME, type.type_name);
    event.dataTransfer.effectAllowed = "copy";
  };
  return (
    <nav id="builder-palette" className="builder-palette" aria-labelledby="builder-palette-title">
      <h2 id="builder-palette-title" className="builder-panel-title">
        {t("palette.title")}
      </h2>
      <p className="muted builder-hint">{t("palette.hint")}</p>
      {problem}
      {groupByCategory(nodeTypes, nameOf).map(([category, types]) => (
        <section key={category} className="builder-palette-group" aria-labelledby={`palette-${category}`}>
          <h3 id={`palette-${category}`} className="builder-palette-category">
            {t(`studio:categories.${category}`, { defaultValue: category })}
          </h3>
          <ul className="builder-palette-list">
            {types.map((type) => (
              <li
                key={type.type_name}
                className="builder-palette-item"
                draggable
                onDragStart={(event) => onDragStart(event, type)}
                data-node-type={type.type_name}
              >
                <div className="builder-palette-text">
                  <span className="builder-palette-name">{nameOf(type)}</span>
                  <Description type={type} />
                </div>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onAdd(type)}
                  aria-label={t("palette.addAria", { name: nameOf(type) })}
                >
                  {t("palette.add")}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}

/** The type's description: in the reader's words for the platform's own types, else as the server says it (English). */
function Description({ type }: { type: NodeTypePublic }) {
  const { t, i18n } = useTranslation("builder");
  const key = `palette.descriptions.${type.type_name}`;
  if (i18n.exists(key, { ns: "builder" })) return <span className="builder-palette-description muted">{t(key)}</span>;
  if (!type.description) return null;
  return (
    <span className="builder-palette-description muted" lang="en">
      {type.description}
    </span>
  );
}
