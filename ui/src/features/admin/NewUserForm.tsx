/** Create a user: email, name, role and an initial password (they should change it after logging in). */

import { useState, type FormEvent } from "react";
import { MIN_PASSWORD_LENGTH, PASSWORD_HINT, passwordProblem } from "../account/password";
import { USER_ROLES, createUser, type UserRole } from "../../api/users";
import { useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TextField } from "../../components/TextField";

export function NewUserForm({ onCreated }: { onCreated: () => void }) {
  const { client } = useServices();
  const action = useAction();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<UserRole>("user");
  const [password, setPassword] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const valid = email.trim().includes("@") && passwordProblem(password) === null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    const body = { email: email.trim(), display_name: name.trim() || null, role, password };
    const ok = await action.run(() => createUser(client, body));
    if (!ok) return;
    setCreated(body.email);
    setEmail("");
    setName("");
    setPassword("");
    onCreated();
  };

  return (
    <details className="new-key">
      <summary>Add a user</summary>
      <form onSubmit={submit} className="new-key-form" aria-label="Add a user">
        <TextField label="Email" type="email" required autoComplete="off" value={email} onChange={setEmail} inline />
        <TextField label="Name" optional maxLength={200} value={name} onChange={setName} inline />
        <label className="field field--inline">
          <span className="field-label">Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
            {USER_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <TextField
          label="Initial password"
          type="password"
          required
          autoComplete="new-password"
          minLength={MIN_PASSWORD_LENGTH}
          value={password}
          onChange={setPassword}
          error={password ? (passwordProblem(password) ?? undefined) : undefined}
          hint={`${PASSWORD_HINT} Give it to the user privately; they can change it on their account page.`}
          inline
        />
        <ProblemMessage error={action.error} context="Could not add the user" />
        {created && !action.error ? (
          <p className="notice" role="status">
            Added {created}.
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={!valid || action.pending}>
          {action.pending ? "Adding…" : "Add user"}
        </button>
      </form>
    </details>
  );
}
