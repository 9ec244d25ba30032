/**
 * "Test connection" for a service config: one tiny call to its model with its key, and what came
 * of it in plain words — connected (and how fast), or the provider's own reason why not.
 */

import { useMutation } from "@tanstack/react-query";
import type { i18n as I18n, TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useServices } from "../../app/context";
import { ProblemMessage } from "../../components/ProblemMessage";
import { formatNumber, useLocale } from "../../lib/format";
import { problemText } from "../../lib/problemText";
import { testConnection, type ConnectionTest as Result, type ServiceConfig } from "./api";

/** Why a test failed, in the person's language by its reason code (else the provider's own words). */
export function failureReason(result: Result, i18n: I18n): string {
  if (!result.reason) return result.message;
  const coded = { code: `probe.${result.reason}`, params: result.params ?? {}, message: result.message };
  return problemText(coded, i18n).text;
}

/** The result as one sentence in the person's language. */
export function connectionSummary(result: Result, t: TFunction, locale: string, i18n: I18n): string {
  if (!result.ok)
    return t("providers:test.failed", { message: failureReason(result, i18n) || t("providers:test.noReason") });
  return result.latency_ms == null
    ? t("providers:test.ok", { model: result.model })
    : t("providers:test.okIn", { model: result.model, ms: formatNumber(Math.round(result.latency_ms), locale) });
}

/** What a finished test says (announced when it appears). */
export function ConnectionResult({ result }: { result: Result }) {
  const { t, i18n } = useTranslation("providers");
  const locale = useLocale();
  return (
    <p className={`connection-result connection-result--${result.ok ? "ok" : "bad"}`} role="status">
      {connectionSummary(result, t, locale, i18n)}
    </p>
  );
}

export function ConnectionTestButton({ config }: { config: ServiceConfig }) {
  const { t } = useTranslation("providers");
  const { client } = useServices();
  const name = config.service_display_name;
  const test = useMutation({ mutationFn: () => testConnection(client, config.config_id) });
  return (
    <>
      <button
        type="button"
        className="button button--small"
        disabled={test.isPending}
        aria-label={t("test.label", { name })}
        onClick={() => test.mutate()}
      >
        {test.isPending ? t("test.pending") : t("test.button")}
      </button>
      {test.data && !test.isPending ? <ConnectionResult result={test.data} /> : null}
      <ProblemMessage error={test.error} context={t("test.error", { name })} />
    </>
  );
}
