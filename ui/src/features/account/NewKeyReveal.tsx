/** A new key's secret, shown once: copy it now, it cannot be shown again. */

import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiKeyCreated } from "../../api/apiKeys";
import { copyText } from "../../text/clipboard";

export function NewKeyReveal({ created, onDone }: { created: ApiKeyCreated; onDone: () => void }) {
  const { t } = useTranslation("account");
  const fieldRef = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className="key-reveal" role="region" aria-labelledby="key-reveal-title">
      <h3 id="key-reveal-title" ref={headingRef} tabIndex={-1}>
        {t("keys.reveal.title", { name: created.name ?? "" })}
      </h3>
      <p className="key-warning">
        <strong>{t("keys.reveal.copyNow")}</strong> {t("keys.reveal.onlyOnce")}
      </p>
      <div className="key-row">
        <label className="visually-hidden" htmlFor="new-key-value">
          {t("keys.reveal.label")}
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
          {t("keys.reveal.copy")}
        </button>
      </div>
      <p className="muted" role="status">
        {copied === "yes" ? t("keys.reveal.copied") : copied === "no" ? t("keys.reveal.notCopied") : ""}
      </p>
      <button type="button" className="button" onClick={onDone}>
        {t("keys.reveal.done")}
      </button>
    </div>
  );
}
