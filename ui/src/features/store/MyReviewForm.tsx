/** The user's own rating (1–5 stars) and review of an agent; saving again edits it. */

import { useId, useState, type FormEvent } from "react";
import { putMyReview, type AgentReview } from "../../api/store";
import { useServices } from "../../app/context";
import { useAction } from "../../hooks/useAction";
import { ProblemMessage } from "../../components/ProblemMessage";

interface Props {
  agentId: string;
  existing: AgentReview | null;
  onSaved: () => void;
}

const MAX_COMMENT = 5000;

export function MyReviewForm({ agentId, existing, onSaved }: Props) {
  const { client } = useServices();
  const action = useAction();
  const [rating, setRating] = useState<number>(existing?.rating ?? 0);
  const [comment, setComment] = useState(existing?.comment ?? "");
  const [saved, setSaved] = useState(false);
  const name = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (rating < 1) return;
    setSaved(false);
    const body = { rating, comment: comment.trim() || null };
    if (await action.run(() => putMyReview(client, agentId, body))) {
      setSaved(true);
      onSaved();
    }
  };

  return (
    <form className="review-form" onSubmit={submit}>
      <fieldset className="star-input">
        <legend>{existing ? "Your rating" : "Rate this agent"}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className={`star-option${n <= rating ? " star-option--on" : ""}`}>
            <input
              type="radio"
              name={name}
              value={n}
              checked={rating === n}
              onChange={() => setRating(n)}
              className="visually-hidden"
            />
            <span aria-hidden="true">★</span>
            <span className="visually-hidden">
              {n} {n === 1 ? "star" : "stars"}
            </span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span className="field-label">Review (optional)</span>
        <textarea rows={3} maxLength={MAX_COMMENT} value={comment} onChange={(e) => setComment(e.target.value)} />
      </label>
      <ProblemMessage error={action.error} context="Could not save your review" />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={rating < 1 || action.pending}>
          {action.pending ? "Saving…" : existing ? "Update review" : "Submit review"}
        </button>
        <span className="muted" role="status">
          {saved ? "Saved. Thank you!" : rating < 1 ? "Choose 1 to 5 stars." : ""}
        </span>
      </div>
    </form>
  );
}
