/** The user's own rating (1–5 stars) and review of an agent; saving again edits it. */

import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { AgentReview } from "../../api/store";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useSaveReview } from "./api";

interface Props {
  agentId: string;
  existing: AgentReview | null;
}

const MAX_COMMENT = 5000;
const STARS = [1, 2, 3, 4, 5];

export function MyReviewForm({ agentId, existing }: Props) {
  const { t } = useTranslation("store");
  const save = useSaveReview(agentId);
  const [rating, setRating] = useState<number>(existing?.rating ?? 0);
  const [comment, setComment] = useState(existing?.comment ?? "");
  const name = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (rating < 1 || save.isPending) return;
    save.mutate({ rating, comment: comment.trim() || null });
  };

  return (
    <form className="review-form" onSubmit={submit}>
      <fieldset className="star-input">
        <legend>{existing ? t("myReview.yours") : t("myReview.rate")}</legend>
        {STARS.map((n) => (
          <label key={n} className={`star-option${n <= rating ? " star-option--on" : ""}`}>
            <input
              type="radio"
              name={name}
              value={n}
              checked={rating === n}
              onChange={() => {
                setRating(n);
                save.reset();
              }}
              className="visually-hidden"
            />
            <span aria-hidden="true">★</span>
            <span className="visually-hidden">{t("myReview.star", { count: n })}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span className="field-label">
          {t("myReview.comment")} <span className="required">{t("field.optional")}</span>
        </span>
        <textarea
          rows={3}
          maxLength={MAX_COMMENT}
          value={comment}
          onChange={(e) => {
            setComment(e.target.value);
            save.reset();
          }}
        />
      </label>
      <ProblemMessage error={save.error} context={t("myReview.saveError")} />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={rating < 1 || save.isPending}>
          {save.isPending ? t("actions.saving") : existing ? t("myReview.update") : t("myReview.submit")}
        </button>
        <span className="muted" role="status">
          {save.isSuccess ? t("myReview.saved") : rating < 1 ? t("myReview.chooseStars") : ""}
        </span>
      </div>
    </form>
  );
}
