/** The knowledge bases a `rag` node searches, picked from the tenant's (by name; ids are stored). */

import type { WidgetProps } from "@rjsf/utils";
import { useTranslation } from "react-i18next";
import { useKnowledgeBases } from "../queries";
import { PickList } from "./PickList";

export function KnowledgeBasesWidget({ id, value, onChange, disabled, readonly, label }: WidgetProps) {
  const { t } = useTranslation("nodeConfig");
  const bases = useKnowledgeBases();
  const picked = Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  return (
    <PickList
      id={id}
      label={label}
      options={(bases.data ?? []).map((base) => ({
        value: base.id,
        label: base.name,
        hint: t("knowledgeBases.documents", { count: base.document_count }),
      }))}
      picked={picked}
      disabled={disabled || readonly}
      onChange={onChange}
      unknownLabel={(baseId) => (bases.isSuccess ? t("knowledgeBases.unknown", { id: baseId }) : baseId)}
      empty={bases.isPending ? t("loading") : bases.isError ? t("knowledgeBases.cannotList") : t("knowledgeBases.none")}
    />
  );
}
