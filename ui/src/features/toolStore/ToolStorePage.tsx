/**
 * The tool store: MCP servers the tenant can install (the bundled tools and the platform's
 * catalogue). Search, tags to filter by, installed or not; admins install and uninstall.
 */

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { PagedList } from "../../components/paged-list/PagedList";
import { usePagedList } from "../../components/paged-list/usePagedList";
import { fetchEntries, listStoreTags, toolStoreKeys, type StoreEntry, type StoreFilter } from "./api";
import { InstallDialog } from "./InstallDialog";
import { StoreEntryCard } from "./StoreEntryCard";
import { UninstallDialog } from "./UninstallDialog";
import "./toolStore.css";

export function ToolStorePage({ canInstall }: { canInstall: boolean }) {
  const { t } = useTranslation("toolStore");
  const { client } = useServices();
  const tags = useQuery({
    queryKey: toolStoreKeys.tags,
    queryFn: ({ signal }) => listStoreTags(client, signal),
  }).data;
  const list = usePagedList({
    queryKey: toolStoreKeys.entries,
    fetchPage: fetchEntries(client),
    initialFilter: {} as StoreFilter,
  });
  const { filter, setFilter } = list;
  const [installing, setInstalling] = useState<StoreEntry | null>(null);
  const [uninstalling, setUninstalling] = useState<StoreEntry | null>(null);
  const pickTag = (tag: string | undefined) => setFilter((f) => ({ ...f, tag: f.tag === tag ? undefined : tag }));

  return (
    <section className="page page--wide tool-store" aria-labelledby="tool-store-title">
      <h1 id="tool-store-title">{t("title")}</h1>
      <p className="muted">{canInstall ? t("intro") : t("introReadOnly")}</p>
      {tags && tags.length > 0 ? (
        <div className="tool-store-tags" role="group" aria-label={t("tags")}>
          {tags.map((tag) => (
            <button
              key={tag}
              type="button"
              className="tag tag--link"
              aria-pressed={filter.tag === tag}
              onClick={() => pickTag(tag)}
            >
              {tag}
            </button>
          ))}
        </div>
      ) : null}
      <PagedList
        list={list}
        texts={{
          caption: t("caption"),
          pager: t("pager"),
          empty: t("empty"),
          noMatch: t("noMatch"),
          loadError: t("loadError"),
          count: (count) => t("count", { count }),
        }}
        search={{ placeholder: t("searchPlaceholder") }}
        filtersLabel={t("filtersLabel")}
        filters={
          <label className="field">
            <span className="field-label">{t("state")}</span>
            <select
              value={filter.installed === undefined ? "" : String(filter.installed)}
              onChange={(e) =>
                setFilter((f) => ({ ...f, installed: e.target.value === "" ? undefined : e.target.value === "true" }))
              }
            >
              <option value="">{t("any")}</option>
              <option value="true">{t("installed")}</option>
              <option value="false">{t("notInstalled")}</option>
            </select>
          </label>
        }
        className="tool-list tool-store-list"
        itemKey={(entry) => entry.id}
        renderItem={(entry) => (
          <StoreEntryCard
            entry={entry}
            canInstall={canInstall}
            onTag={pickTag}
            onInstall={setInstalling}
            onUninstall={setUninstalling}
          />
        )}
      />
      {installing ? <InstallDialog entry={installing} onClose={() => setInstalling(null)} /> : null}
      {uninstalling ? <UninstallDialog entry={uninstalling} onClose={() => setUninstalling(null)} /> : null}
    </section>
  );
}
