/** API keys: the list (prefix only), a form to create one, and revoking. */

import { useState } from "react";
import { listApiKeys, revokeApiKey, type ApiKey, type ApiKeyCreated } from "../../api/apiKeys";
import { keyState } from "./expiry";
import { useServices } from "../../app/context";
import { useConfirmedAction } from "../../hooks/useConfirmedAction";
import { useLoad } from "../../hooks/useLoad";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { NewApiKeyForm } from "./NewApiKeyForm";
import { NewKeyReveal } from "./NewKeyReveal";
import { ProblemMessage } from "../../components/ProblemMessage";
import { When } from "../../components/When";

export function ApiKeysSection() {
  const { client } = useServices();
  const keys = useLoad((signal) => listApiKeys(client, signal), [client]);
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const revoke = useConfirmedAction(
    (key: ApiKey) => revokeApiKey(client, key.id),
    () => keys.reload(),
  );
  const list = keys.data ?? [];

  return (
    <section aria-labelledby="keys-title" className="api-keys">
      <h2 id="keys-title">API keys</h2>
      <p className="muted">
        A key acts as you, limited to its scopes. Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
      </p>
      {created ? <NewKeyReveal created={created} onDone={() => setCreated(null)} /> : null}
      <NewApiKeyForm
        onCreated={(key) => {
          setCreated(key);
          keys.reload();
        }}
      />
      <ProblemMessage error={keys.error} context="Could not load your keys" onRetry={keys.reload} />
      {keys.data && list.length === 0 ? <p className="muted">No keys yet.</p> : null}
      {list.length > 0 ? (
        <div className="table-wrap">
          <table className="key-table">
            <caption className="visually-hidden">Your API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((key) => {
                const state = keyState(key);
                return (
                  <tr key={key.id} className={state !== "active" ? "key--inactive" : undefined}>
                    <td>
                      {key.name || "—"}
                      {state !== "active" ? <span className="badge badge--muted">{state}</span> : null}
                    </td>
                    <td>
                      <code title="Keys read apk_<organisation>_<secret>; this is how the secret begins">
                        apk_…_{key.key_prefix}…
                      </code>
                    </td>
                    <td>
                      {key.scopes.map((scope) => (
                        <span key={scope} className="tag">
                          {scope}
                        </span>
                      ))}
                    </td>
                    <td>
                      <When iso={key.created_at} none="—" />
                    </td>
                    <td>
                      <When iso={key.last_used_at} none="never" />
                    </td>
                    <td>
                      <When iso={key.expires_at} none="never" />
                    </td>
                    <td>
                      {state === "active" ? (
                        <button
                          type="button"
                          className="button button--small button--danger-outline"
                          onClick={() => revoke.ask(key)}
                          aria-label={`Revoke ${key.name || key.key_prefix}`}
                        >
                          Revoke
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog title="Revoke this key?" confirmLabel="Revoke" danger {...revoke.dialog}>
        <p>
          “{revoke.target?.name || revoke.target?.key_prefix}” stops working at once. Anything using it gets 401 from
          now on.
        </p>
      </ConfirmDialog>
    </section>
  );
}
