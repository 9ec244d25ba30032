/**
 * The tenant admin's webhooks: list, add (the signing secret is shown once, right after), delete.
 * How receivers verify the signature: docs/webhooks.md.
 */

import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TextField } from "../../components/TextField";
import {
  NOTIFICATION_KINDS,
  useCreateWebhook,
  useDeleteWebhook,
  useWebhooks,
  type NotificationKind,
  type WebhookCreated,
} from "./api";
import { WebhookDeliveries } from "./WebhookDeliveries";
import "./notifications.css";

export function WebhooksPage() {
  const { t } = useTranslation("notifications");
  const hooks = useWebhooks();
  const create = useCreateWebhook();
  const remove = useDeleteWebhook();
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<NotificationKind[]>(["run_failed"]);
  const [created, setCreated] = useState<WebhookCreated | null>(null);

  const toggle = (kind: NotificationKind, on: boolean) =>
    setEvents((current) => (on ? [...current, kind] : current.filter((k) => k !== kind)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { url: url.trim(), events },
      {
        onSuccess: (hook) => {
          setCreated(hook);
          setUrl("");
        },
      },
    );
  };

  return (
    <section className="page webhooks" aria-labelledby="webhooks-title">
      <div className="page-head">
        <h1 id="webhooks-title">{t("webhooks.title")}</h1>
      </div>
      <p className="muted">{t("webhooks.intro")}</p>
      {created ? (
        <div className="notice" role="status">
          <p>{t("webhooks.secretOnce")}</p>
          <p className="webhook-secret" data-testid="webhook-secret">
            {created.secret}
          </p>
          <button type="button" className="button button--small" onClick={() => setCreated(null)}>
            {t("webhooks.secretStored")}
          </button>
        </div>
      ) : null}
      <form className="webhook-form" onSubmit={submit}>
        <TextField label={t("webhooks.url")} value={url} onChange={setUrl} type="url" required />
        <fieldset>
          <legend>{t("webhooks.events")}</legend>
          {NOTIFICATION_KINDS.map((kind) => (
            <label key={kind}>
              <input
                type="checkbox"
                checked={events.includes(kind)}
                onChange={(event) => toggle(kind, event.target.checked)}
              />{" "}
              {t(`kinds.${kind}.title`)}
            </label>
          ))}
        </fieldset>
        <ProblemMessage error={create.error} context={t("webhooks.createFailed")} />
        <button
          type="submit"
          className="button button--primary"
          disabled={create.isPending || !url.trim() || events.length === 0}
        >
          {t("webhooks.add")}
        </button>
      </form>
      <ProblemMessage error={hooks.error ?? remove.error} context={t("webhooks.loadFailed")} />
      {hooks.data && hooks.data.length === 0 ? <p className="muted">{t("webhooks.empty")}</p> : null}
      <ul className="webhook-list">
        {(hooks.data ?? []).map((hook) => (
          <li key={hook.id} className="webhook">
            <span className="webhook-url">{hook.url}</span>
            <span className="muted">{hook.events.map((kind) => t(`kinds.${kind}.title`)).join(" · ")}</span>
            <WebhookDeliveries webhookId={hook.id} />
            <button
              type="button"
              className="button button--small button--danger-outline"
              onClick={() => remove.mutate(hook.id)}
              disabled={remove.isPending}
            >
              {t("webhooks.delete")}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
