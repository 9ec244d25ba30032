/** One tool server: where it is, its health and statistics, and Check / Discover / Delete. */

import { useMutation } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { toApiError } from "../../api/problem";
import type { DiscoveryResult, ToolServer } from "../../api/tools";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { When } from "../../components/When";
import { useLocale } from "../../lib/format";
import { checkHealthMutation, discoverMutation } from "./queries";
import { callStats, statusTone } from "./toolView";

interface Props {
  server: ToolServer;
  onDelete: () => void;
}

function healthSummary(checked: ToolServer, t: TFunction): string {
  const status = t(`status.${checked.status}`, { defaultValue: checked.status });
  return checked.last_error
    ? t("servers.healthError", { status, error: checked.last_error })
    : t("servers.health", { status });
}

function discoverySummary(result: DiscoveryResult, t: TFunction): string {
  return t("servers.discovered", {
    added: result.added.length,
    updated: result.updated.length,
    deactivated: result.deactivated.length,
  });
}

export function ToolServerRow({ server, onDelete }: Props) {
  const { t } = useTranslation("tools");
  const locale = useLocale();
  const { client } = useServices();
  const health = useMutation(checkHealthMutation(client));
  const discover = useMutation(discoverMutation(client));
  const pending = health.isPending || discover.isPending;
  const failed = health.error ?? discover.error;
  // Each action clears the other's answer first, so at most one says how it went.
  const note = health.data ? healthSummary(health.data, t) : discover.data ? discoverySummary(discover.data, t) : null;
  const run = (mutation: typeof health | typeof discover) => {
    health.reset();
    discover.reset();
    mutation.mutate(server);
  };

  return (
    <tr>
      <td className="server-cell" data-label={t("servers.columns.server")}>
        <strong>{server.name}</strong> <code className="muted">{server.server_id}</code>
        <span className="server-url muted">
          <code>{server.endpoint_url}</code>
        </span>
        {server.credentials_hint ? (
          <span className="muted server-credential">{t("servers.credential", { hint: server.credentials_hint })}</span>
        ) : null}
        {server.description ? <span className="server-description">{server.description}</span> : null}
      </td>
      <td data-label={t("servers.columns.status")}>
        <span className={`badge status status--${statusTone(server.status)}`}>
          {t(`status.${server.status}`, { defaultValue: server.status })}
        </span>
        {server.last_error ? (
          <span className="server-error" title={server.last_error}>
            {server.last_error}
          </span>
        ) : null}
      </td>
      <td data-label={t("servers.columns.lastCheck")}>
        <When iso={server.last_health_check} none={t("never")} />
      </td>
      <td data-label={t("servers.columns.tools")}>{server.tool_count}</td>
      <td data-label={t("servers.columns.calls")}>{callStats(server, t, locale)}</td>
      <td>
        <div className="row-actions">
          <button
            type="button"
            className="button button--small"
            disabled={pending}
            aria-label={t("servers.checkLabel", { name: server.name })}
            onClick={() => run(health)}
          >
            {t("servers.check")}
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={pending}
            aria-label={t("servers.discoverLabel", { name: server.name })}
            onClick={() => run(discover)}
          >
            {t("servers.discover")}
          </button>
          <button
            type="button"
            className="button button--small button--danger-outline"
            disabled={pending}
            aria-label={t("servers.deleteLabel", { name: server.name })}
            onClick={onDelete}
          >
            {t("servers.delete.confirm")}
          </button>
        </div>
        {pending ? (
          <span className="muted" role="status">
            {t("working")}
          </span>
        ) : null}
        {note ? (
          <span className="muted" role="status">
            {note}
          </span>
        ) : null}
        <ProblemMessage error={failed && toApiError(failed)} context={server.name} />
      </td>
    </tr>
  );
}
