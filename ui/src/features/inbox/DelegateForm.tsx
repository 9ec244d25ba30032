/**
 * Hand one's part of a policy task to someone else: closed behind a "Delegate" button, then a
 * people picker and an optional note. The chosen person then answers in the caller's place.
 */

import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ProblemMessage } from "../../components/ProblemMessage";
import { UserPicker, type PickedUser } from "../../components/UserPicker";
import { asProblem, useDelegateTask } from "./queries";

interface Props {
  taskId: string;
  myId: string;
}

export function DelegateForm({ taskId, myId }: Props) {
  const { t } = useTranslation("approvals");
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [to, setTo] = useState<PickedUser | null>(null);
  const [note, setNote] = useState("");
  const delegate = useDelegateTask(taskId);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!to || delegate.isPending) return;
    delegate.mutate(
      { toUserId: to.id, note },
      {
        onSuccess: () => {
          setOpen(false);
          setTo(null);
          setNote("");
        },
      },
    );
  };

  if (!open) {
    return (
      <div className="delegate">
        <button type="button" className="button" onClick={() => setOpen(true)}>
          {t("delegate.open")}
        </button>
        {delegate.isSuccess ? (
          <p className="notice" role="status">
            {t("delegate.done")}
          </p>
        ) : null}
      </div>
    );
  }

  return (
    <form className="delegate delegate--open" onSubmit={submit} aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>{t("delegate.title")}</h3>
      <p className="muted">{t("delegate.hint")}</p>
      <UserPicker
        label={t("delegate.to")}
        picked={to ? [to] : []}
        exclude={[myId]}
        disabled={delegate.isPending}
        onPick={(user) => {
          delegate.reset();
          setTo(user);
        }}
        onRemove={() => setTo(null)}
      />
      <label className="field">
        <span className="field-label">{t("delegate.note")}</span>
        <textarea rows={2} maxLength={10_000} value={note} onChange={(event) => setNote(event.target.value)} />
      </label>
      <ProblemMessage error={asProblem(delegate.error)} context={t("delegate.failed")} />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={!to || delegate.isPending}>
          {delegate.isPending ? t("delegate.sending") : t("delegate.send")}
        </button>
        <button type="button" className="button button--ghost" onClick={() => setOpen(false)}>
          {t("delegate.cancel")}
        </button>
      </div>
    </form>
  );
}
