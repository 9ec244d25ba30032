/**
 * The tenant's user groups (admins): approval stages assign a group by its name. Create a group, change one in place, delete one after a confirmation.
 */

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { UserGroup } from "../../api/groups";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PagedList } from "../../components/paged-list/PagedList";
import { usePagedList } from "../../components/paged-list/usePagedList";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { GroupForm } from "./GroupForm";
import { deleteGroupMutation, fetchGroups, groupKeys } from "./groupQueries";
import "./groups.css";

export function GroupsPanel() {
  const { t } = useTranslation("groups");
  const { client } = useServices();
  const list = usePagedList({ queryKey: groupKeys.all, fetchPage: fetchGroups(client), initialFilter: {} });
  const remove = useConfirmedMutation(useMutation(deleteGroupMutation(client)));
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <section aria-labelledby="groups-title" className="admin-panel groups-panel">
      <h2 id="groups-title">{t("title")}</h2>
      <p className="muted">{t("intro")}</p>
      {creating ? (
        <GroupForm onDone={() => setCreating(false)} onCancel={() => setCreating(false)} />
      ) : (
        <button type="button" className="button" onClick={() => setCreating(true)}>
          {t("new")}
        </button>
      )}
      <PagedList
        list={list}
        texts={{
          caption: t("caption"),
          pager: t("pager"),
          empty: t("empty"),
          loadError: t("loadError"),
          count: (count) => t("count", { count }),
        }}
        itemKey={(group) => group.id}
        renderItem={(group) =>
          editing === group.id ? (
            <li className="card group-card">
              <GroupForm group={group} onDone={() => setEditing(null)} onCancel={() => setEditing(null)} />
            </li>
          ) : (
            <GroupItem group={group} onEdit={() => setEditing(group.id)} onDelete={() => remove.ask(group)} />
          )
        }
      />
      <ConfirmDialog title={t("deleteTitle")} confirmLabel={t("deleteConfirm")} danger {...remove.dialog}>
        <p>{t("deleteText", { name: remove.target?.name ?? "" })}</p>
      </ConfirmDialog>
    </section>
  );
}

function GroupItem({ group, onEdit, onDelete }: { group: UserGroup; onEdit: () => void; onDelete: () => void }) {
  const { t } = useTranslation("groups");
  const members = group.members.map((member) => member.display_name || member.email);
  return (
    <li className="card group-card">
      <h3 className="group-name">{group.name}</h3>
      {group.description ? <p>{group.description}</p> : null}
      <p className="muted">{t("members", { count: group.members.length })}</p>
      {members.length > 0 ? (
        <ul className="group-members">
          {members.map((member, index) => (
            <li key={index} className="tag">
              {member}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="group-actions">
        <button
          type="button"
          className="button button--small"
          aria-label={t("editLabel", { name: group.name })}
          onClick={onEdit}
        >
          {t("edit")}
        </button>
        <button
          type="button"
          className="button button--small button--danger-outline"
          aria-label={t("deleteLabel", { name: group.name })}
          onClick={onDelete}
        >
          {t("delete")}
        </button>
      </div>
    </li>
  );
}
