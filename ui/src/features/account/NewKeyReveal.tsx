/** A new key's secret, shown once: copy it now, it cannot be shown again. */

import { useEffect, useRef, useState } from "react";
import type { ApiKeyCreated } from "../../api/apiKeys";
import { copyText } from "../../text/clipboard";

export function NewKeyReveal({ created, onDone }: { created: ApiKeyCreated; onDone: () => void }) {
  const fieldRef = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className="key-reveal" role="region" aria-labelledby="key-reveal-title">
      <h3 id="key-reveal-title" ref={headingRef} tabIndex={-1}>
        Your new key “{created.name}”
      </h3>
      <p className="key-warning">
        <strong>Copy this key now.</strong> It is shown only once: AgentPaaS keeps only a hash of it, so it cannot be
        shown again. If you lose it, revoke it and create another.
      </p>
      <div className="key-row">
        <label className="visually-hidden" htmlFor="new-key-value">
          API key
        </label>
        <input
          id="new-key-value"
          ref={fieldRef}
          type="text"
          readOnly
          value={created.key}
          className="key-value"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="button button--primary"
          onClick={() => void copyText(created.key, fieldRef.current).then((ok) => setCopied(ok ? "yes" : "no"))}
        >
          Copy
        </button>
      </div>
      <p className="muted" role="status">
        {copied === "yes"
          ? "Copied to the clipboard."
          : copied === "no"
            ? "Could not copy: select the key and copy it."
            : ""}
      </p>
      <button type="button" className="button" onClick={onDone}>
        I have saved it
      </button>
    </div>
  );
}
