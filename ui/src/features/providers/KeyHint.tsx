/** A service config's API key as the list shows it: masked by the server, or "no key". Never the key. */

import { useTranslation } from "react-i18next";
import type { ServiceConfig } from "./api";

export function KeyHint({ config }: { config: Pick<ServiceConfig, "has_credentials" | "credentials_hint"> }) {
  const { t } = useTranslation("providers");
  if (!config.has_credentials) return <span className="muted">{t("configs.noKey")}</span>;
  return config.credentials_hint ? (
    <code className="key-hint" title={t("configs.keyMasked")}>
      {config.credentials_hint}
    </code>
  ) : (
    <span>{t("configs.keySet")}</span>
  );
}
