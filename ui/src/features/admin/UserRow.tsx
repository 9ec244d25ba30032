/** One user in the admin list: role select, status, rename in place, (re)activate. */

import { useState } from "react";
import { USER_ROLES, updateUser, type TenantUser, type UserRole } from "../../api/users";
import { useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TitleEditor } from "../../components/TitleEditor";
import { When } from "../../components/When";

interface Props {
  user: TenantUser;
  isMe: boolean;
  onChanged: () => void;
  onDeactivate: () => void;
}

export function UserRow({ user, isMe, onChanged, onDeactivate }: Props) {
  const { client } = useServices();
  const action = useAction();
  const [renaming, setRenaming] = useState(false);
  const who = user.display_name || user.email;
  const active = user.status === "active";

  const save = (body: Parameters<typeof updateUser>[2]) =>
    void action
      .run(() => updateUser(client, user.id, body))
      .then((ok) => {
        if (!ok) return;
        setRenaming(false);
        onChanged();
      });

  return (
    <tr className={active ? undefined : "row--inactive"}>
      <td>
        {renaming ? (
          <TitleEditor
            initial={user.display_name ?? ""}
            label={`Name of ${user.email}`}
            pending={action.pending}
            onSave={(name) => save({ display_name: name })}
            onCancel={() => setRenaming(false)}
          />
        ) : (
          <>
            <span className="user-name">{user.display_name || "—"}</span>
            {isMe ? <span className="badge">you</span> : null}
            <button
              type="button"
              className="link-button"
              onClick={() => setRenaming(true)}
              aria-label={`Rename ${who}`}
            >
              Rename
            </button>
          </>
        )}
        <span className="muted user-email">{user.email}</span>
        <ProblemMessage error={action.error} context={`Could not update ${who}`} />
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`role-${user.id}`}>
          Role of {who}
        </label>
        <select
          id={`role-${user.id}`}
          value={user.role}
          disabled={action.pending || isMe}
          title={isMe ? "You cannot change your own role" : undefined}
          onChange={(e) => save({ role: e.target.value as UserRole })}
        >
          {USER_ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </td>
      <td>
        <span className={`badge status status--${active ? "ok" : "off"}`}>{active ? "active" : "deactivated"}</span>
      </td>
      <td>
        <When iso={user.last_login_at} none="never" />
      </td>
      <td>
        {isMe ? null : active ? (
          <button
            type="button"
            className="button button--small button--danger-outline"
            onClick={onDeactivate}
            aria-label={`Deactivate ${who}`}
          >
            Deactivate
          </button>
        ) : (
          <button
            type="button"
            className="button button--small"
            disabled={action.pending}
            onClick={() => save({ status: "active" })}
            aria-label={`Reactivate ${who}`}
          >
            Reactivate
          </button>
        )}
      </td>
    </tr>
  );
}
