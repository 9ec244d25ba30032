/** Users of the tenant: search and filter, create, change role / status / name, deactivate. */

import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { USER_ROLES, type UserFilter } from "../../api/users";
import type { Me } from "../../api/types";
import { useServices } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PagedList, type ListColumn } from "../../components/paged-list/PagedList";
import { usePagedList } from "../../components/paged-list/usePagedList";
import { useConfirmedMutation } from "../../hooks/useConfirmedMutation";
import { NewUserForm } from "./NewUserForm";
import { adminKeys, deactivateUserMutation, fetchUsers } from "./queries";
import { UserRow } from "./UserRow";

export function UsersPanel({ me }: { me: Me }) {
  const { t } = useTranslation("admin");
  const { client } = useServices();
  const list = usePagedList({
    queryKey: adminKeys.users,
    fetchPage: fetchUsers(client),
    initialFilter: {} as UserFilter,
  });
  const deactivate = useConfirmedMutation(useMutation(deactivateUserMutation(client)));
  const { filter, setFilter } = list;
  const columns: ListColumn[] = [
    { key: "user", label: t("users.columns.user") },
    { key: "role", label: t("users.columns.role") },
    { key: "status", label: t("users.columns.status") },
    { key: "lastLogin", label: t("users.columns.lastLogin") },
    { key: "actions", label: t("users.columns.actions"), hidden: true },
  ];

  return (
    <section aria-labelledby="users-title" className="admin-panel">
      <h2 id="users-title">{t("users.title")}</h2>
      <NewUserForm />
      <PagedList
        list={list}
        texts={{
          caption: t("users.caption"),
          pager: t("users.pager"),
          empty: t("users.empty"),
          noMatch: t("users.noMatch"),
          loadError: t("users.loadError"),
          count: (count) => t("users.count", { count }),
        }}
        search={{ placeholder: t("users.searchPlaceholder") }}
        filtersLabel={t("users.filtersLabel")}
        filters={
          <>
            <label className="field">
              <span className="field-label">{t("users.columns.role")}</span>
              <select
                value={filter.role ?? ""}
                onChange={(e) =>
                  setFilter((f) => ({ ...f, role: (e.target.value || undefined) as UserFilter["role"] }))
                }
              >
                <option value="">{t("any")}</option>
                {USER_ROLES.map((role) => (
                  <option key={role} value={role}>
                    {t(`common:roles.${role}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">{t("users.columns.status")}</span>
              <select
                value={filter.status ?? ""}
                onChange={(e) =>
                  setFilter((f) => ({ ...f, status: (e.target.value || undefined) as UserFilter["status"] }))
                }
              >
                <option value="">{t("any")}</option>
                <option value="active">{t("users.status.active")}</option>
                <option value="suspended">{t("users.status.suspended")}</option>
              </select>
            </label>
          </>
        }
        columns={columns}
        itemKey={(user) => user.id}
        renderItem={(user) => (
          <UserRow user={user} isMe={user.id === me.id} onDeactivate={() => deactivate.ask(user)} />
        )}
      />
      <ConfirmDialog
        title={t("users.deactivate.title")}
        confirmLabel={t("users.deactivate.confirm")}
        danger
        {...deactivate.dialog}
      >
        <p>{t("users.deactivate.text", { email: deactivate.target?.email ?? "" })}</p>
      </ConfirmDialog>
    </section>
  );
}
