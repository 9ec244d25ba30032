/** One store entry: what it is, its tags (click to filter), and its installed state with status and tools. */

import { useTranslation } from "react-i18next";
import type { StoreEntry } from "./api";
import { localized, statusTone } from "./toolStoreView";

interface Props {
  entry: StoreEntry;
  canInstall: boolean;
  onTag: (tag: string) => void;
  onInstall: (entry: StoreEntry) => void;
  onUninstall: (entry: StoreEntry) => void;
}

export function StoreEntryCard({ entry, canInstall, onTag, onInstall, onUninstall }: Props) {
  const { t, i18n } = useTranslation("toolStore");
  const name = localized(entry.name, i18n.language);
  const installation = entry.installation;
  const server = installation?.server;
  return (
    <li className="card tool-store-card" data-testid={`store-entry-${entry.id}`}>
      <div className="card-head">
        <h3 className="card-title">{name}</h3>
        <span className={`badge status status--${entry.installed ? "ok" : "off"}`}>
          {entry.installed ? t("installed") : t("notInstalled")}
        </span>
      </div>
      <p className="card-text">{localized(entry.description, i18n.language)}</p>
      <p className="card-meta muted">
        <code className="tool-store-url">{entry.url_template}</code>
        {entry.homepage ? (
          <>
            <span aria-hidden="true"> · </span>
            <a href={entry.homepage} target="_blank" rel="noreferrer noopener">
              {t("homepage")}
            </a>
          </>
        ) : null}
      </p>
      {entry.tags.length > 0 ? (
        <p className="card-tags">
          {entry.tags.map((tag) => (
            <button
              key={tag}
              type="button"
              className="tag tag--link"
              aria-label={t("filterByTag", { tag })}
              onClick={() => onTag(tag)}
            >
              {tag}
            </button>
          ))}
        </p>
      ) : null}
      {server && installation ? (
        <div className="tool-store-installed">
          <p>
            <span className={`badge status status--${statusTone(server.status)}`}>
              {t(`serverStatus.${server.status}`, { defaultValue: server.status })}
            </span>{" "}
            <span className="muted">{t("toolCount", { count: installation.tools.length })}</span>
          </p>
          {server.last_error ? <p className="field-error">{server.last_error}</p> : null}
          {installation.tools.length > 0 ? (
            <ul className="tool-store-tools" aria-label={t("toolsOf", { name })}>
              {installation.tools.map((tool) => (
                <li key={tool.id}>
                  <code>{tool.name}</code>
                </li>
              ))}
            </ul>
          ) : null}
          {installation.granted_roles.length > 0 ? (
            <p className="muted">
              {t("grantedTo", {
                roles: installation.granted_roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join(", "),
              })}
            </p>
          ) : null}
        </div>
      ) : null}
      {canInstall ? (
        <div className="card-actions">
          {entry.installed ? (
            <button type="button" className="button button--danger" onClick={() => onUninstall(entry)}>
              {t("uninstall.open")}
            </button>
          ) : (
            <button type="button" className="button button--primary" onClick={() => onInstall(entry)}>
              {t("install.open")}
            </button>
          )}
        </div>
      ) : null}
    </li>
  );
}
