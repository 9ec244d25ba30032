/** Create an API key: name, scopes, expiry. */

import { useState, type FormEvent } from "react";
import { EXPIRY_PRESETS, expiryFromDays } from "./expiry";
import { API_KEY_SCOPES, createApiKey, type ApiKeyCreated } from "../../api/apiKeys";
import { useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { ProblemMessage } from "../../components/ProblemMessage";

export function NewApiKeyForm({ onCreated }: { onCreated: (key: ApiKeyCreated) => void }) {
  const { client } = useServices();
  const action = useAction();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>(["chat:read", "chat:write"]);
  const [expiry, setExpiry] = useState("0");
  const valid = name.trim().length > 0 && scopes.length > 0;

  const toggle = (scope: string, on: boolean) =>
    setScopes((current) => (on ? [...current, scope] : current.filter((s) => s !== scope)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    const expires = expiryFromDays(EXPIRY_PRESETS[Number(expiry)]?.days ?? null);
    const body = { name: name.trim(), scopes, ...(expires ? { expires_at: expires } : {}) };
    await action.run(async () => {
      const made = await createApiKey(client, body);
      setName("");
      onCreated(made);
    });
  };

  return (
    <details className="new-key">
      <summary>Create a key</summary>
      <form onSubmit={submit} className="new-key-form">
        <label className="field field--inline">
          <span className="field-label">Name</span>
          <input
            type="text"
            required
            maxLength={100}
            value={name}
            placeholder="e.g. CI pipeline"
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <fieldset className="field scopes">
          <legend className="field-label">Scopes</legend>
          {API_KEY_SCOPES.map(({ scope, description }) => (
            <label key={scope} className="checkbox">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => toggle(scope, e.target.checked)}
              />
              <code>{scope}</code> <span className="muted">{description}</span>
            </label>
          ))}
          {scopes.length === 0 ? <span className="field-error">Choose at least one scope.</span> : null}
        </fieldset>
        <label className="field field--inline">
          <span className="field-label">Expires</span>
          <select value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {EXPIRY_PRESETS.map((preset, index) => (
              <option key={preset.label} value={String(index)}>
                {preset.label}
              </option>
            ))}
          </select>
        </label>
        <ProblemMessage error={action.error} context="Could not create the key" />
        <button type="submit" className="button button--primary" disabled={!valid || action.pending}>
          {action.pending ? "Creating…" : "Create key"}
        </button>
      </form>
    </details>
  );
}
