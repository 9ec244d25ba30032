/** One user in the admin list: role select, status, rename in place, (re)activate. */

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import { USER_ROLES, type TenantUser, type UserRole, type UserUpdate } from "../../api/users";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TitleEditor } from "../../components/TitleEditor";
import { When } from "../../components/When";
import { updateUserMutation } from "./queries";

interface Props {
  user: TenantUser;
  isMe: boolean;
  onDeactivate: () => void;
}

export function UserRow({ user, isMe, onDeactivate }: Props) {
  const { t } = useTranslation("admin");
  const { client } = useServices();
  const update = useMutation(updateUserMutation(client));
  const [renaming, setRenaming] = useState(false);
  const who = user.display_name || user.email;
  const active = user.status === "active";
  const save = (body: UserUpdate) => update.mutate({ userId: user.id, body }, { onSuccess: () => setRenaming(false) });

  return (
    <tr className={active ? undefined : "row--inactive"}>
      <td data-label={t("users.columns.user")}>
        {renaming ? (
          <TitleEditor
            initial={user.display_name ?? ""}
            label={t("users.nameOf", { email: user.email })}
            pending={update.isPending}
            onSave={(name) => save({ display_name: name })}
            onCancel={() => setRenaming(false)}
          />
        ) : (
          <>
            <span className="user-name">{user.display_name || "—"}</span>
            {isMe ? <span className="badge">{t("users.you")}</span> : null}
            <button
              type="button"
              className="link-button"
              onClick={() => setRenaming(true)}
              aria-label={t("users.renameLabel", { who })}
            >
              {t("users.rename")}
            </button>
          </>
        )}
        <span className="muted user-email">{user.email}</span>
        <ProblemMessage error={update.error && toApiError(update.error)} context={t("users.updateError", { who })} />
      </td>
      <td data-label={t("users.columns.role")}>
        <label className="visually-hidden" htmlFor={`role-${user.id}`}>
          {t("users.roleOf", { who })}
        </label>
        <select
          id={`role-${user.id}`}
          value={user.role}
          disabled={update.isPending || isMe}
          title={isMe ? t("users.ownRole") : undefined}
          onChange={(e) => save({ role: e.target.value as UserRole })}
        >
          {USER_ROLES.map((role) => (
            <option key={role} value={role}>
              {t(`common:roles.${role}`)}
            </option>
          ))}
        </select>
      </td>
      <td data-label={t("users.columns.status")}>
        <span className={`badge status status--${active ? "ok" : "off"}`}>
          {active ? t("users.status.active") : t("users.status.suspended")}
        </span>
      </td>
      <td data-label={t("users.columns.lastLogin")}>
        <When iso={user.last_login_at} none={t("never")} />
      </td>
      <td>
        {isMe ? null : active ? (
          <button
            type="button"
            className="button button--small button--danger-outline"
            onClick={onDeactivate}
            aria-label={t("users.deactivateLabel", { who })}
          >
            {t("users.deactivate.confirm")}
          </button>
        ) : (
          <button
            type="button"
            className="button button--small"
            disabled={update.isPending}
            onClick={() => save({ status: "active" })}
            aria-label={t("users.reactivateLabel", { who })}
          >
            {t("users.reactivate")}
          </button>
        )}
      </td>
    </tr>
  );
}
