/** Users of the tenant: search and filter, create, change role / status / name, deactivate. */

import { useEffect, useState } from "react";
import { USER_ROLES, deactivateUser, listUsers, type TenantUser, type UserFilter } from "../../api/users";
import type { Me } from "../../api/types";
import { useServices } from "../../app/context";
import { useConfirmedAction } from "../../hooks/useConfirmedAction";
import { useLoad } from "../../hooks/useLoad";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { NewUserForm } from "./NewUserForm";
import { Pager } from "../../components/Pager";
import { ProblemMessage } from "../../components/ProblemMessage";
import { UserRow } from "./UserRow";

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

export function UsersPanel({ me }: { me: Me }) {
  const { client } = useServices();
  const [query, setQuery] = useState("");
  const [filter, setFilter] = useState<UserFilter>({});
  const [offset, setOffset] = useState(0);
  const deactivate = useConfirmedAction(
    (user: TenantUser) => deactivateUser(client, user.id),
    () => users.reload(),
  );

  const [search, setSearch] = useState("");
  useEffect(() => {
    const timer = setTimeout(
      () => {
        setSearch(query.trim());
        setOffset(0);
      },
      query ? SEARCH_DELAY_MS : 0,
    );
    return () => clearTimeout(timer);
  }, [query]);

  const users = useLoad(
    (signal) => listUsers(client, { ...filter, q: search || undefined, limit: PAGE_SIZE, offset }, signal),
    [client, search, filter, offset],
  );
  const items = users.data?.items ?? [];
  const patch = (next: Partial<UserFilter>) => {
    setFilter((f) => ({ ...f, ...next }));
    setOffset(0);
  };

  return (
    <section aria-labelledby="users-title" className="admin-panel">
      <h2 id="users-title">Users</h2>
      <NewUserForm onCreated={users.reload} />
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter users">
        <label className="field">
          <span className="field-label">Search</span>
          <input type="search" value={query} placeholder="Email or name" onChange={(e) => setQuery(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Role</span>
          <select
            value={filter.role ?? ""}
            onChange={(e) => patch({ role: (e.target.value || undefined) as UserFilter["role"] })}
          >
            <option value="">Any</option>
            {USER_ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Status</span>
          <select
            value={filter.status ?? ""}
            onChange={(e) => patch({ status: (e.target.value || undefined) as UserFilter["status"] })}
          >
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="suspended">Deactivated</option>
          </select>
        </label>
      </form>
      <ProblemMessage error={users.error} context="Could not load users" onRetry={users.reload} />
      <p className="visually-hidden" role="status">
        {users.loading ? "Loading users…" : users.data ? `${users.data.total} users` : ""}
      </p>
      {users.data && items.length === 0 ? <p className="muted">No user matches.</p> : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="admin-table" aria-busy={users.loading}>
            <caption className="visually-hidden">Users of the organisation</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Last login</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((user) => (
                <UserRow
                  key={user.id}
                  user={user}
                  isMe={user.id === me.id}
                  onChanged={users.reload}
                  onDeactivate={() => deactivate.ask(user)}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {users.data ? (
        <Pager
          label="User pages"
          total={users.data.total}
          limit={PAGE_SIZE}
          offset={offset}
          count={items.length}
          disabled={users.loading}
          onOffset={setOffset}
        />
      ) : null}
      <ConfirmDialog title="Deactivate this user?" confirmLabel="Deactivate" danger {...deactivate.dialog}>
        <p>
          {deactivate.target?.email} is logged out everywhere and their API keys stop working. Their chats and history
          stay; you can reactivate them later.
        </p>
      </ConfirmDialog>
    </section>
  );
}
