/**
 * The diff's changes as a list beside (or, on a phone, below) the canvas: the nodes and edges added
 * or removed, then each changed node's values, edges, the state schema and the version's settings,
 * each value as "path: old → new", shortened, the whole value one click away.
 */

import { useTranslation } from "react-i18next";
import type { AgentGraph } from "./api";
import { changeGroups, hasChanges, type ChangeGroup, type ChangeRow, type ValueText } from "./diffChanges";
import { drawnEdgeText, markLabel, type Translate } from "./diffLabels";
import type { DiffMark, VersionDiff } from "./graphDiff";

interface Props {
  diff: VersionDiff;
  /** The newer graph, to name the edges whose values changed. */
  to: AgentGraph | null;
  /** Prefix of the groups' element ids (a node's group is `${idPrefix}node:${name}`). */
  idPrefix: string;
  /** The node selected on the canvas: its group stands out. */
  selectedNode: string | null;
}

/** The element id of a group (what "show its changes" links to). */
export function changeGroupId(idPrefix: string, groupId: string): string {
  return `${idPrefix}${groupId}`.replace(/[^A-Za-z0-9_:.-]/g, "_");
}

function groupTitle(t: Translate, group: ChangeGroup): string {
  switch (group.kind) {
    case "node":
      return t("list.nodeGroup", { name: group.title });
    case "edge":
      return t("list.edgeGroup", { edge: group.title });
    case "state":
      return t("list.state");
    default:
      return t("list.settings");
  }
}

/** "config › temperature"; a version setting's own name is translated (`template_parameters`). */
function pathText(t: Translate, group: ChangeGroup, row: ChangeRow): string {
  const [first, ...rest] = row.path;
  if (first === undefined) return "—";
  const head = group.kind === "settings" ? t(`fields.${first}`, { defaultValue: first }) : first;
  return [head, ...rest].join(" › ");
}

function Value({ value }: { value: ValueText }) {
  if (!value.truncated) return <code className="diff-value">{value.text}</code>;
  return (
    <details className="diff-value diff-value--long">
      <summary>
        <code>{value.text}</code>
      </summary>
      <pre>{value.full}</pre>
    </details>
  );
}

function Tag({ mark }: { mark: DiffMark }) {
  const { t } = useTranslation("diff");
  return (
    <span className={`diff-tag diff-tag--${mark}`}>
      <span className="diff-mark-icon" aria-hidden="true" />
      {markLabel(t, mark)}
    </span>
  );
}

function Row({ group, row }: { group: ChangeGroup; row: ChangeRow }) {
  const { t } = useTranslation("diff");
  const mark: DiffMark = row.op === "changed" ? "changed" : row.op;
  return (
    <li className={`diff-row diff-row--${mark}`}>
      <span className="diff-row-head">
        <span className="diff-path">{pathText(t, group, row)}</span> <Tag mark={mark} />
      </span>
      <span className="diff-row-values">
        {row.old ? (
          <del className="diff-old">
            <span className="visually-hidden">{t("list.before")} </span>
            <Value value={row.old} />
          </del>
        ) : null}
        {row.old && row.new ? (
          <span className="diff-arrow" aria-hidden="true">
            →
          </span>
        ) : null}
        {row.new ? (
          <ins className="diff-new">
            <span className="visually-hidden">{t("list.after")} </span>
            <Value value={row.new} />
          </ins>
        ) : null}
      </span>
    </li>
  );
}

export function ChangeList({ diff, to, idPrefix, selectedNode }: Props) {
  const { t } = useTranslation("diff");
  const graph = diff.graph;
  const structure = [
    ...graph.nodes_added.map((name) => ({ mark: "added" as const, text: t("list.node", { name }) })),
    ...graph.nodes_removed.map((name) => ({ mark: "removed" as const, text: t("list.node", { name }) })),
    ...graph.edges_added.map((edge) => ({ mark: "added" as const, text: drawnEdgeText(t, edge) })),
    ...graph.edges_removed.map((edge) => ({ mark: "removed" as const, text: drawnEdgeText(t, edge) })),
  ];
  const groups = changeGroups(diff, to);
  if (!hasChanges(diff)) return <p className="muted diff-none">{t("list.none")}</p>;
  return (
    <div className="diff-changes">
      {structure.length ? (
        <section className="diff-group" aria-labelledby={changeGroupId(idPrefix, "structure")}>
          <h3 id={changeGroupId(idPrefix, "structure")}>{t("list.structure")}</h3>
          <ul className="diff-rows">
            {structure.map((item, i) => (
              <li key={i} className={`diff-row diff-row--${item.mark}`}>
                <span className="diff-row-head">
                  <span className="diff-structure-item">{item.text}</span> <Tag mark={item.mark} />
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {groups.map((group) => {
        const id = changeGroupId(idPrefix, group.id);
        const selected = group.kind === "node" && group.title === selectedNode;
        return (
          <section
            key={group.id}
            id={id}
            className={`diff-group${selected ? " diff-group--selected" : ""}`}
            aria-labelledby={`${id}-title`}
            aria-current={selected ? "true" : undefined}
            tabIndex={-1}
          >
            <h3 id={`${id}-title`}>{groupTitle(t, group)}</h3>
            <ul className="diff-rows">
              {group.rows.map((row, i) => (
                <Row key={i} group={group} row={row} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
