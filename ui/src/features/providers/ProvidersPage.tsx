/** Tenant admins: the model providers the tenant calls and the service configs agents run on. */

import { useTranslation } from "react-i18next";
import { ConfigsSection } from "./ConfigsSection";
import { ProvidersSection } from "./ProvidersSection";
import "./providers.css";

export function ProvidersPage() {
  const { t } = useTranslation("providers");
  return (
    <section className="page page--wide providers" aria-labelledby="providers-page-title">
      <h1 id="providers-page-title">{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <ProvidersSection />
      <ConfigsSection />
    </section>
  );
}
