/** Register an MCP server by its streamable HTTP URL, with an optional bearer credential (write-only). */

import { useState, type FormEvent } from "react";
import { createToolServer } from "../../api/tools";
import { useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { serverFormErrors, serverIdFromName } from "./toolView";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TextField } from "../../components/TextField";

export function NewToolServerForm({ onCreated }: { onCreated: () => void }) {
  const { client } = useServices();
  const action = useAction();
  const [name, setName] = useState("");
  const [serverId, setServerId] = useState("");
  const [idEdited, setIdEdited] = useState(false);
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [credential, setCredential] = useState("");
  const [discover, setDiscover] = useState(true);
  const [checked, setChecked] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const id = idEdited ? serverId : serverIdFromName(name);
  const errors = serverFormErrors({ server_id: id, name, endpoint_url: url });
  const shown = checked ? errors : {};

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(errors).length > 0) return;
    const body = {
      server_id: id,
      name: name.trim(),
      endpoint_url: url.trim(),
      discover,
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(credential.trim() ? { credential: credential.trim() } : {}),
    };
    const ok = await action.run(async () => {
      const server = await createToolServer(client, body);
      setCreated(`Registered ${server.name}: ${server.tool_count} tools, status ${server.status}.`);
    });
    if (!ok) return;
    setChecked(false);
    setName("");
    setServerId("");
    setIdEdited(false);
    setUrl("");
    setDescription("");
    setCredential(""); // the credential is never kept once sent
    onCreated();
  };

  return (
    <details className="new-key">
      <summary>Register a server</summary>
      <form onSubmit={submit} className="new-key-form" aria-label="Register a server" noValidate>
        <TextField label="Name" required maxLength={255} value={name} onChange={setName} error={shown.name} inline />
        <TextField
          label="Server id"
          required
          maxLength={128}
          value={id}
          onChange={(value) => {
            setIdEdited(true);
            setServerId(value);
          }}
          hint="Unique in your organisation; agents name the server by it."
          error={shown.server_id}
          inline
        />
        <TextField
          label="Streamable HTTP URL"
          type="url"
          required
          maxLength={1000}
          value={url}
          placeholder="https://mcp-host/mcp"
          onChange={setUrl}
          error={shown.endpoint_url}
          inline
        />
        <TextField label="Description" optional maxLength={4000} value={description} onChange={setDescription} inline />
        <TextField
          label="Bearer credential"
          optional
          type="password"
          autoComplete="off"
          maxLength={4096}
          value={credential}
          onChange={setCredential}
          hint="Sent to the server as Authorization: Bearer …; stored sealed and never shown again."
          inline
        />
        <label className="checkbox">
          <input type="checkbox" checked={discover} onChange={(e) => setDiscover(e.target.checked)} />
          Discover its tools now
        </label>
        <ProblemMessage error={action.error} context="Could not register the server" />
        {created && !action.error ? (
          <p className="notice" role="status">
            {created}
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={action.pending}>
          {action.pending ? "Registering…" : "Register server"}
        </button>
      </form>
    </details>
  );
}
