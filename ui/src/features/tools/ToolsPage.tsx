/** Developers: the tenant's MCP tool servers and the tools discovered on them. */

import { useTranslation } from "react-i18next";
import { ToolCatalog } from "./ToolCatalog";
import { ToolServersSection } from "./ToolServersSection";

export function ToolsPage() {
  const { t } = useTranslation("tools");
  return (
    <section className="page page--wide tools" aria-labelledby="tools-title">
      <h1 id="tools-title">{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <ToolServersSection />
      <ToolCatalog />
    </section>
  );
}
