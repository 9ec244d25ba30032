/** The two options of a replay check — how many conversations, what to do with a call no recording matches — and the start button. */

import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ReplayCheckRequest, Unmatched } from "./api";

export const DEFAULT_CONVERSATIONS = 20;
const MAX_CONVERSATIONS = 100;

interface Props {
  onStart: (request: ReplayCheckRequest) => void;
  /** A start is on its way, or a check is still running. */
  busy: boolean;
  pending: boolean;
}

export function StartReplayForm({ onStart, busy, pending }: Props) {
  const { t } = useTranslation("replayCheck");
  const [conversations, setConversations] = useState(String(DEFAULT_CONVERSATIONS));
  const [unmatched, setUnmatched] = useState<Unmatched>("live");
  const helpId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = Math.min(MAX_CONVERSATIONS, Math.max(1, Math.round(Number(conversations) || DEFAULT_CONVERSATIONS)));
    onStart({ conversations: value, unmatched });
  };
  return (
    <form className="replay-form" onSubmit={submit}>
      <label className="field replay-form-count">
        <span>{t("form.conversations")}</span>
        <input
          type="number"
          min={1}
          max={MAX_CONVERSATIONS}
          required
          value={conversations}
          aria-describedby={helpId}
          onChange={(event) => setConversations(event.target.value)}
        />
        <small id={helpId} className="muted">
          {t("form.conversationsHelp")}
        </small>
      </label>
      <fieldset className="replay-form-unmatched">
        <legend>{t("form.unmatched")}</legend>
        {(["live", "refuse"] as const).map((option) => (
          <label key={option} className="replay-radio">
            <input
              type="radio"
              name="unmatched"
              value={option}
              checked={unmatched === option}
              onChange={() => setUnmatched(option)}
            />{" "}
            {t(`form.${option}`)}
          </label>
        ))}
      </fieldset>
      <p className="actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {pending ? t("form.starting") : t("form.start")}
        </button>
      </p>
    </form>
  );
}
